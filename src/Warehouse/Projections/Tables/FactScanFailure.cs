using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactScanFailure
{
    public static readonly DerivedTable Table = new("fact_scan_failure",
        "Something of a snapshot that could not be (fully) read, and why: an app, one of its files, a listing line.", Scope.App,
        [
            new("snapshot", "VARCHAR", "snapshot id"),
            new("package", "VARCHAR", "app package name ('' for a bad line of the listing file)"),
            new("file", "VARCHAR", "the file concerned (null: the app as a whole)"),
            new("reason", "VARCHAR", "what went wrong"),
        ],
        ctx => $"""
            SELECT DISTINCT snapshot, package, file, reason
            FROM {ctx.Events(AppScanFailedTable.Table)} WHERE {ctx.In(Scope.App, "snapshot", "package")}
            """,
        PartitionColumn: "snapshot");
}
