namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactModelChurn
{
    /// <summary>
    /// Model changes of apps present in both snapshots of a pair: first matched by path (same sha256 = unchanged,
    /// other sha256 = updated), the rest paired by format in path order (updated), what is left added or removed.
    /// Encrypted files are not model files and take no part.
    /// </summary>
    public static readonly DerivedTable Table = new("fact_model_churn",
        "A model change of an app present in two consecutive snapshots (by capture date).", Scope.Pair,
        [
            new("from_snapshot", "VARCHAR", "earlier snapshot"),
            new("to_snapshot", "VARCHAR", "later snapshot"),
            new("package", "VARCHAR", "app package name"),
            new("change", "VARCHAR", "unchanged, updated, added, removed"),
            new("from_path", "VARCHAR", "model path before (null: added)"),
            new("from_sha256", "VARCHAR", "sha256 before"),
            new("from_format", "VARCHAR", "format before"),
            new("to_path", "VARCHAR", "model path after (null: removed)"),
            new("to_sha256", "VARCHAR", "sha256 after"),
            new("to_format", "VARCHAR", "format after"),
        ],
        ctx => $"""
            WITH pairs AS ({ctx.Pairs(DimSnapshot.Table)}),
            continuing AS (SELECT p.from_snapshot, p.to_snapshot, a.package
                           FROM pairs p JOIN {ctx.Table(FactAppSnapshot.Table)} a ON a.snapshot = p.from_snapshot
                           JOIN {ctx.Table(FactAppSnapshot.Table)} b ON b.snapshot = p.to_snapshot AND b.package = a.package
                           WHERE {ctx.In(Scope.Pair, "p.from_snapshot", "p.to_snapshot", "a.package")}),
            before AS (SELECT c.from_snapshot, c.to_snapshot, c.package, m.path, m.sha256, m.format
                       FROM continuing c JOIN {ctx.Table(FactAppModel.Table)} m ON m.snapshot = c.from_snapshot AND m.package = c.package
                       WHERE NOT m.encrypted),
            after AS (SELECT c.from_snapshot, c.to_snapshot, c.package, m.path, m.sha256, m.format
                      FROM continuing c JOIN {ctx.Table(FactAppModel.Table)} m ON m.snapshot = c.to_snapshot AND m.package = c.package
                      WHERE NOT m.encrypted),
            by_path AS (SELECT b.from_snapshot, b.to_snapshot, b.package,
                               CASE WHEN b.sha256 = a.sha256 THEN 'unchanged' ELSE 'updated' END AS change,
                               b.path AS from_path, b.sha256 AS from_sha256, b.format AS from_format,
                               a.path AS to_path, a.sha256 AS to_sha256, a.format AS to_format
                        FROM before b JOIN after a USING (from_snapshot, to_snapshot, package, path)),
            removed AS (SELECT *, row_number() OVER (PARTITION BY from_snapshot, to_snapshot, package, format ORDER BY path) AS k
                        FROM (SELECT * FROM before b WHERE NOT EXISTS (SELECT 1 FROM after a WHERE a.from_snapshot = b.from_snapshot
                              AND a.to_snapshot = b.to_snapshot AND a.package = b.package AND a.path = b.path))),
            added AS (SELECT *, row_number() OVER (PARTITION BY from_snapshot, to_snapshot, package, format ORDER BY path) AS k
                      FROM (SELECT * FROM after a WHERE NOT EXISTS (SELECT 1 FROM before b WHERE a.from_snapshot = b.from_snapshot
                            AND a.to_snapshot = b.to_snapshot AND a.package = b.package AND a.path = b.path))),
            paired AS (SELECT coalesce(r.from_snapshot, a.from_snapshot) AS from_snapshot,
                              coalesce(r.to_snapshot, a.to_snapshot) AS to_snapshot, coalesce(r.package, a.package) AS package,
                              CASE WHEN r.path IS NULL THEN 'added' WHEN a.path IS NULL THEN 'removed' ELSE 'updated' END AS change,
                              r.path AS from_path, r.sha256 AS from_sha256, r.format AS from_format,
                              a.path AS to_path, a.sha256 AS to_sha256, a.format AS to_format
                       FROM removed r FULL JOIN added a ON r.from_snapshot = a.from_snapshot AND r.to_snapshot = a.to_snapshot
                            AND r.package = a.package AND r.format = a.format AND r.k = a.k)
            SELECT * FROM by_path UNION ALL SELECT * FROM paired
            """);
}
