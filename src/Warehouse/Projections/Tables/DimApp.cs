namespace GaugeNN.Warehouse.Projections.Tables;

public static class DimApp
{
    public static readonly DerivedTable Table = new("dim_app",
        "An app across snapshots: its latest title and category, the first and last snapshot it is in.", Scope.Package,
        [
            new("package", "VARCHAR", "app package name"),
            new("title", "VARCHAR", "title in the latest snapshot"),
            new("category", "VARCHAR", "category in the latest snapshot"),
            new("first_snapshot", "VARCHAR", "earliest snapshot (by capture date) it is in"),
            new("last_snapshot", "VARCHAR", "latest snapshot it is in"),
            new("snapshots", "BIGINT", "snapshots it is in"),
        ],
        ctx => $"""
            SELECT a.package, arg_max(a.title, s.ord) AS title, arg_max(a.category, s.ord) AS category,
                   arg_min(a.snapshot, s.ord) AS first_snapshot, arg_max(a.snapshot, s.ord) AS last_snapshot, count(*) AS snapshots
            FROM {ctx.Table(FactAppSnapshot.Table)} a JOIN ({AppSql.SnapshotRanks(ctx)}) s USING (snapshot)
            WHERE {ctx.In(Scope.Package, "a.package")}
            GROUP BY a.package
            """);
}
