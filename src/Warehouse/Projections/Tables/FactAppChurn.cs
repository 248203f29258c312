namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactAppChurn
{
    public static readonly DerivedTable Table = new("fact_app_churn",
        "An app of two consecutive snapshots: new, delisted or continuing, and what became of its DL.", Scope.Pair,
        [
            new("from_snapshot", "VARCHAR", "earlier snapshot"),
            new("to_snapshot", "VARCHAR", "later snapshot"),
            new("package", "VARCHAR", "app package name"),
            new("status", "VARCHAR", "new, delisted, continuing"),
            new("version_from", "BIGINT", "versionCode before"),
            new("version_to", "BIGINT", "versionCode after"),
            new("dl", "VARCHAR", "continuing apps: adopted, dropped, kept, none"),
            new("frameworks_before", "VARCHAR[]", "formats of its identified models before"),
            new("frameworks_after", "VARCHAR[]", "formats of its identified models after"),
            new("framework_migration", "BOOLEAN", "continuing, lost a format and gained another"),
            new("models_before", "BIGINT", "identified model files before"),
            new("models_after", "BIGINT", "identified model files after"),
            new("models_unchanged", "BIGINT", "model files unchanged"),
            new("models_updated", "BIGINT", "model files updated"),
            new("models_added", "BIGINT", "model files added"),
            new("models_removed", "BIGINT", "model files removed"),
        ],
        ctx => $"""
            WITH pairs AS ({ctx.Pairs(DimSnapshot.Table)}),
            keys AS (SELECT DISTINCT p.from_snapshot, p.to_snapshot, x.package
                     FROM pairs p JOIN {ctx.Table(FactAppSnapshot.Table)} x ON x.snapshot IN (p.from_snapshot, p.to_snapshot)
                     WHERE {ctx.In(Scope.Pair, "p.from_snapshot", "p.to_snapshot", "x.package")}),
            frameworks AS (SELECT snapshot, package, list(DISTINCT format ORDER BY format) AS names, count(*) AS models
                           FROM {ctx.Table(FactAppModel.Table)}
                           WHERE NOT encrypted AND (snapshot, package) IN (SELECT from_snapshot, package FROM keys
                                                                          UNION SELECT to_snapshot, package FROM keys)
                           GROUP BY ALL),
            changes AS (SELECT from_snapshot, to_snapshot, package,
                               count(*) FILTER (WHERE change = 'unchanged') AS unchanged, count(*) FILTER (WHERE change = 'updated') AS updated,
                               count(*) FILTER (WHERE change = 'added') AS added, count(*) FILTER (WHERE change = 'removed') AS removed
                        FROM {ctx.Table(FactModelChurn.Table)}
                        WHERE {ctx.In(Scope.Pair, "from_snapshot", "to_snapshot", "package")} GROUP BY ALL),
            rows AS (
              SELECT k.from_snapshot, k.to_snapshot, k.package,
                     CASE WHEN a.package IS NULL THEN 'new' WHEN b.package IS NULL THEN 'delisted' ELSE 'continuing' END AS status,
                     a.version_code AS version_from, b.version_code AS version_to,
                     coalesce(fa.names, []) AS before_names, coalesce(fb.names, []) AS after_names,
                     coalesce(fa.models, 0) AS models_before, coalesce(fb.models, 0) AS models_after,
                     coalesce(c.unchanged, 0) AS models_unchanged, coalesce(c.updated, 0) AS models_updated,
                     coalesce(c.added, 0) AS models_added, coalesce(c.removed, 0) AS models_removed
              FROM keys k
              LEFT JOIN {ctx.Table(FactAppSnapshot.Table)} a ON a.snapshot = k.from_snapshot AND a.package = k.package
              LEFT JOIN {ctx.Table(FactAppSnapshot.Table)} b ON b.snapshot = k.to_snapshot AND b.package = k.package
              LEFT JOIN frameworks fa ON fa.snapshot = k.from_snapshot AND fa.package = k.package
              LEFT JOIN frameworks fb ON fb.snapshot = k.to_snapshot AND fb.package = k.package
              LEFT JOIN changes c ON c.from_snapshot = k.from_snapshot AND c.to_snapshot = k.to_snapshot AND c.package = k.package)
            SELECT from_snapshot, to_snapshot, package, status, version_from, version_to,
                   CASE WHEN status <> 'continuing' THEN NULL
                        WHEN models_before = 0 AND models_after > 0 THEN 'adopted'
                        WHEN models_before > 0 AND models_after = 0 THEN 'dropped'
                        WHEN models_before > 0 THEN 'kept' ELSE 'none' END AS dl,
                   before_names AS frameworks_before, after_names AS frameworks_after,
                   status = 'continuing' AND len(list_filter(before_names, f -> NOT list_contains(after_names, f))) > 0
                       AND len(list_filter(after_names, f -> NOT list_contains(before_names, f))) > 0 AS framework_migration,
                   models_before, models_after, models_unchanged, models_updated, models_added, models_removed
            FROM rows
            """);
}
