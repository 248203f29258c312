using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="SnapshotOpened"/> (V1 events arrive upcast): a snapshot's label and capture date.</summary>
public static class SnapshotOpenedTable
{
    public static readonly EventTable<SnapshotOpened> Table = new("ev_snapshot_opened",
        (e, changes) => changes.Snapshots.Add(e.Snapshot),
        Col<SnapshotOpened>.Text("snapshot", e => e.Snapshot),
        Col<SnapshotOpened>.Text("label", e => e.Label),
        Col<SnapshotOpened>.Date("captured_at", e => e.CapturedAt),
        Col<SnapshotOpened>.Text("captured_at_from", e => e.CapturedAtFrom),
        Col<SnapshotOpened>.Text("source", e => e.Source));
}
