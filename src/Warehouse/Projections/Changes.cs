namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// The keys a batch of events touched. Each derived table is recomputed only for its kind of key: an app in a
/// snapshot, a snapshot, a model, a device, a run. A measurement touches a run, never an app, so it never recomputes
/// churn; a re-scanned app touches its own rows, its snapshot's row and the snapshot pairs that include it.
/// </summary>
public sealed class Changes
{
    public HashSet<(string Snapshot, string Package)> Apps { get; } = [];
    public HashSet<string> Snapshots { get; } = [];
    public HashSet<string> Models { get; } = [];
    public HashSet<string> Devices { get; } = [];
    public HashSet<string> Runs { get; } = [];

    public bool IsEmpty => Apps.Count == 0 && Snapshots.Count == 0 && Models.Count == 0 && Devices.Count == 0 && Runs.Count == 0;

    public int Count => Apps.Count + Snapshots.Count + Models.Count + Devices.Count + Runs.Count;
}
