using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="AppScanFailed"/>: an app, a file or a listing line that could not be (fully) read.</summary>
public static class AppScanFailedTable
{
    public static readonly EventTable<AppScanFailed> Table = new("ev_app_scan_failed",
        (e, changes) => changes.Apps.Add((e.Snapshot, e.Package)),
        Col<AppScanFailed>.Text("snapshot", e => e.Snapshot),
        Col<AppScanFailed>.Text("package", e => e.Package),
        Col<AppScanFailed>.Text("file", e => e.File),
        Col<AppScanFailed>.Text("reason", e => e.Reason));
}
