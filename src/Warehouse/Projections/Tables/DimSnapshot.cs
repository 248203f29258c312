using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class DimSnapshot
{
    public static readonly DerivedTable Table = new("dim_snapshot",
        "A snapshot (one crawl of the store) with its capture date and counts.", Scope.Snapshot,
        [
            new("snapshot", "VARCHAR", "snapshot id"),
            new("label", "VARCHAR", "label given at ingest (default: the id)"),
            new("captured_at", "DATE", "capture date: snapshots are ordered by it (then by id)"),
            new("captured_at_from", "VARCHAR", "where the date came from: id, given, crawl (earliest listing crawl date), unknown"),
            new("apps", "BIGINT", "apps listed or scanned"),
            new("apps_listed", "BIGINT", "apps with a listing line"),
            new("apps_scanned", "BIGINT", "apps whose files were read"),
            new("apps_failed", "BIGINT", "apps with at least one scan failure"),
            new("dl_apps", "BIGINT", "apps with at least one model file, encrypted ones included"),
            new("apps_with_models", "BIGINT", "apps with at least one identified model file"),
            new("model_files", "BIGINT", "identified model files"),
            new("encrypted_model_files", "BIGINT", "encrypted model files (counted apart)"),
            new("unique_models", "BIGINT", "distinct sha256 of identified model files"),
            new("formats", "STRUCT(\"name\" VARCHAR, model_files BIGINT)[]", "identified model files per format, most first"),
        ],
        ctx => $"""
            WITH opened AS (SELECT snapshot, arg_max(label, seq) AS label, arg_max(captured_at, seq) AS captured_at,
                                   arg_max(captured_at_from, seq) AS captured_at_from
                            FROM {ctx.Events(SnapshotOpenedTable.Table)} WHERE {ctx.In(Scope.Snapshot, "snapshot")} GROUP BY snapshot),
            apps AS (SELECT snapshot, count(*) AS apps, count(*) FILTER (WHERE listed) AS apps_listed,
                            count(*) FILTER (WHERE scanned) AS apps_scanned, count(*) FILTER (WHERE failures > 0) AS apps_failed,
                            count(*) FILTER (WHERE model_files + encrypted_model_files > 0) AS dl_apps,
                            count(*) FILTER (WHERE model_files > 0) AS apps_with_models, min(crawled_at) AS first_crawl
                     FROM {ctx.Table(FactAppSnapshot.Table)} WHERE {ctx.In(Scope.Snapshot, "snapshot")} GROUP BY ALL),
            files AS (SELECT * FROM {ctx.Table(FactAppModel.Table)} WHERE {ctx.In(Scope.Snapshot, "snapshot")}),
            models AS (SELECT snapshot, count(*) FILTER (WHERE NOT encrypted) AS model_files,
                              count(*) FILTER (WHERE encrypted) AS encrypted_model_files,
                              count(DISTINCT sha256) FILTER (WHERE NOT encrypted) AS unique_models
                       FROM files GROUP BY ALL),
            formats AS (SELECT snapshot, list(struct_pack(name := format, model_files := n) ORDER BY n DESC, format) AS formats
                        FROM (SELECT snapshot, format, count(*) AS n FROM files WHERE NOT encrypted GROUP BY ALL) GROUP BY ALL),
            keys AS (SELECT snapshot FROM opened UNION SELECT snapshot FROM apps)
            SELECT k.snapshot, coalesce(o.label, k.snapshot) AS label, coalesce(o.captured_at, a.first_crawl) AS captured_at,
                   CASE WHEN o.captured_at IS NOT NULL THEN o.captured_at_from
                        WHEN a.first_crawl IS NOT NULL THEN 'crawl' ELSE 'unknown' END AS captured_at_from,
                   coalesce(a.apps, 0) AS apps, coalesce(a.apps_listed, 0) AS apps_listed,
                   coalesce(a.apps_scanned, 0) AS apps_scanned, coalesce(a.apps_failed, 0) AS apps_failed,
                   coalesce(a.dl_apps, 0) AS dl_apps, coalesce(a.apps_with_models, 0) AS apps_with_models,
                   coalesce(m.model_files, 0) AS model_files, coalesce(m.encrypted_model_files, 0) AS encrypted_model_files,
                   coalesce(m.unique_models, 0) AS unique_models, coalesce(f.formats, []) AS formats
            FROM keys k LEFT JOIN opened o USING (snapshot) LEFT JOIN apps a USING (snapshot)
            LEFT JOIN models m USING (snapshot) LEFT JOIN formats f USING (snapshot)
            """);
}
