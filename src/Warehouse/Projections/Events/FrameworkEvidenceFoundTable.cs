using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="FrameworkEvidenceFound"/>: a sign of a DL framework in one scan of an app.</summary>
public static class FrameworkEvidenceFoundTable
{
    public static readonly EventTable<FrameworkEvidenceFound> Table = new("ev_framework_evidence_found",
        (e, changes) => changes.Apps.Add((e.Snapshot, e.Package)),
        Col<FrameworkEvidenceFound>.Text("snapshot", e => e.Snapshot),
        Col<FrameworkEvidenceFound>.Text("package", e => e.Package),
        Col<FrameworkEvidenceFound>.Text("scan_key", e => e.ScanKey),
        Col<FrameworkEvidenceFound>.Text("framework", e => e.Framework),
        Col<FrameworkEvidenceFound>.Text("kind", e => e.Kind),
        Col<FrameworkEvidenceFound>.Text("detail", e => e.Detail));
}
