using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

/// <summary>SQL shared by the app tables: what "the app's current scan" and "snapshot order" mean, said once.</summary>
internal static class AppSql
{
    /// <summary>The latest scan of each app in each snapshot (the newest fact wins: a re-crawl replaces a crawl).</summary>
    public static string LatestScans(SqlContext ctx) => $"""
        SELECT snapshot, package, arg_max(scan_key, seq) AS scan_key
        FROM {ctx.Events(ApkScannedTable.Table)} WHERE {ctx.In(Scope.App, "snapshot", "package")}
        GROUP BY snapshot, package
        """;

    /// <summary>
    /// Each app's newest row of an event table in each snapshot (a re-crawl replaces a crawl). Sequence numbers are
    /// unique, so the newest row is the one holding its app's greatest; matching on it spares sorting whole rows.
    /// </summary>
    public static string Latest(SqlContext ctx, IEventTable table) => $"""
        SELECT * FROM {ctx.Events(table)}
        WHERE seq IN (SELECT max(seq) FROM {ctx.Events(table)} WHERE {ctx.In(Scope.App, "snapshot", "package")} GROUP BY snapshot, package)
        """;

    /// <summary>
    /// Each snapshot with its capture date and <c>ord</c>, its place in capture order (date, then id; a snapshot with no
    /// known date sorts last): an integer to take arg_min/arg_max by, which costs a fraction of comparing (date, id) pairs.
    /// </summary>
    public static string SnapshotRanks(SqlContext ctx) => $"""
        SELECT snapshot, captured_at, row_number() OVER (ORDER BY coalesce(captured_at, DATE '9999-12-31'), snapshot) AS ord
        FROM {ctx.Table(DimSnapshot.Table)}
        """;
}
