using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactFrameworkEvidence
{
    public static readonly DerivedTable Table = new("fact_framework_evidence",
        "A sign that an app uses a DL framework, from its latest scan in a snapshot.", Scope.App,
        [
            new("snapshot", "VARCHAR", "snapshot id"),
            new("package", "VARCHAR", "app package name"),
            new("framework", "VARCHAR", "framework (a model format, or cloud:<service>)"),
            new("kind", "VARCHAR", "model (ships a model), native-lib (links its library), dex (its classes)"),
            new("detail", "VARCHAR", "the model path, library name or class prefix"),
        ],
        ctx => $"""
            SELECT DISTINCT e.snapshot, e.package, e.framework, e.kind, e.detail
            FROM {ctx.Events(FrameworkEvidenceFoundTable.Table)} e
            JOIN ({AppSql.LatestScans(ctx)}) s ON s.snapshot = e.snapshot AND s.package = e.package AND s.scan_key = e.scan_key
            WHERE {ctx.In(Scope.App, "e.snapshot", "e.package")}
            """,
        PartitionColumn: "snapshot");
}
