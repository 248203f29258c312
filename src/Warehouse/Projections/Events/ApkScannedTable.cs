using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary>
/// <see cref="ApkScanned"/>: one scan of an app's files; the latest scan of an app in a snapshot is the one that counts.
/// The files' digests and sizes and the entry count stay in the event store only: no table reads them, and every rebuild
/// would append and compress them (a table that comes to need them adds them here, and the events replay).
/// </summary>
public static class ApkScannedTable
{
    public static readonly EventTable<ApkScanned> Table = new("ev_apk_scanned",
        (e, changes) => changes.Apps.Add((e.Snapshot, e.Package)),
        Col<ApkScanned>.Text("snapshot", e => e.Snapshot),
        Col<ApkScanned>.Text("package", e => e.Package),
        Col<ApkScanned>.Text("scan_key", e => e.ScanKey),
        Col<ApkScanned>.Texts("file_names", e => e.Files.Select(f => f.Name)),
        Col<ApkScanned>.Int64("version_code", e => e.VersionCode),
        Col<ApkScanned>.Text("version_name", e => e.VersionName),
        Col<ApkScanned>.Int32("min_sdk", e => e.MinSdk),
        Col<ApkScanned>.Int32("target_sdk", e => e.TargetSdk),
        Col<ApkScanned>.Texts("permissions", e => e.Permissions),
        Col<ApkScanned>.Texts("features", e => e.Features));
}
