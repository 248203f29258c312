namespace GaugeNN.Events;

/// <summary>
/// Every event type with its stable alias. Stored events are found by alias, so renaming a class never orphans
/// them; a shipped event is never edited (add a V2 and an upcaster instead). Only the types of <see cref="All"/> can
/// be appended (the store refuses any other); <see cref="Superseded"/> are earlier versions still read from old
/// stores, each through its upcaster into the current type. Every alias has a golden JSON under
/// <c>tests/fixtures/events/</c> (tested).
/// </summary>
public static class EventCatalogue
{
    public static readonly IReadOnlyList<(Type Type, string Alias)> All =
    [
        (typeof(SnapshotOpened), "snapshot_opened_v2"),
        (typeof(AppListed), "app_listed_v1"),
        (typeof(ApkScanned), "apk_scanned_v1"),
        (typeof(ModelFileFound), "model_file_found_v1"),
        (typeof(FrameworkEvidenceFound), "framework_evidence_found_v1"),
        (typeof(AppScanFailed), "app_scan_failed_v1"),
        (typeof(ModelDissected), "model_dissected_v2"),
        (typeof(ModelDissectionFailed), "model_dissection_failed_v1"),
        (typeof(DeviceRegistered), "device_registered_v1"),
        (typeof(BenchmarkPlanned), "benchmark_planned_v1"),
        (typeof(MeasurementRecorded), "measurement_recorded_v1"),
        (typeof(EnergyMeasured), "energy_measured_v1"),
        (typeof(OperatorProfileRecorded), "operator_profile_recorded_v1"),
        (typeof(BenchmarkFailed), "benchmark_failed_v1"),
    ];

    public static readonly IReadOnlyList<(Type Type, string Alias, Type UpcastTo)> Superseded =
    [
        (typeof(SnapshotOpenedV1), "snapshot_opened_v1", typeof(SnapshotOpened)),
        (typeof(ModelDissectedV1), "model_dissected_v1", typeof(ModelDissected)),
    ];

    private static readonly HashSet<Type> Appendable = All.Select(e => e.Type).ToHashSet();

    public static bool IsAppendable(Type type) => Appendable.Contains(type);
}
