namespace GaugeNN.Warehouse.Projections;

/// <summary>A column of a warehouse table: its DuckDB type is its one declaration (DDL, Parquet schema, docs).</summary>
public sealed record Column(string Name, string Type);

/// <summary>A read-model table, rebuilt from the event log by <see cref="Sql"/> (a SELECT).</summary>
public sealed record WarehouseTable(string Name, bool PartitionedBySnapshot, IReadOnlyList<Column> Columns, string Sql);

/// <summary>
/// The star schema. Every table is a pure function of <c>event_log</c>, so replaying the events into an empty file
/// gives identical contents. List- and map-valued facts are JSON text columns so every reader can take them.
/// </summary>
public static class WarehouseTables
{
    // The newest event of a kind per key wins: a re-crawl, a better analyser.
    private const string LatestListing = """
        SELECT * FROM (
          SELECT data->>'snapshot' AS snapshot, data->>'package' AS package, data,
                 row_number() OVER (PARTITION BY data->>'snapshot', data->>'package' ORDER BY seq DESC) AS rn
          FROM event_log WHERE type = 'app_listed_v1') WHERE rn = 1
        """;

    private const string LatestScan = """
        SELECT * FROM (
          SELECT data->>'snapshot' AS snapshot, data->>'package' AS package, data->>'scanKey' AS scan_key, data,
                 row_number() OVER (PARTITION BY data->>'snapshot', data->>'package' ORDER BY seq DESC) AS rn
          FROM event_log WHERE type = 'apk_scanned_v1') WHERE rn = 1
        """;

    /// <summary>Model files of each app's latest scan in each snapshot.</summary>
    private const string CurrentModelFiles = $"""
        SELECT f.data->>'snapshot' AS snapshot, f.data->>'package' AS package, f.data->>'path' AS path,
               f.data->>'sha256' AS sha256, f.data->>'format' AS format, CAST(f.data->>'bytes' AS BIGINT) AS bytes,
               f.data->>'storage' AS storage, CAST(f.data->>'encrypted' AS BOOLEAN) AS encrypted,
               CAST(f.data->>'entropy' AS DOUBLE) AS entropy, CAST(f.data->'evidence' AS VARCHAR) AS evidence_json
        FROM event_log f
        JOIN ({LatestScan}) s ON s.snapshot = (f.data->>'snapshot') AND s.package = (f.data->>'package')
                             AND s.scan_key = (f.data->>'scanKey')
        WHERE f.type = 'model_file_found_v1'
        """;

    public static readonly WarehouseTable FactAppModel = new("fact_app_model", true,
    [
        new("snapshot", "VARCHAR"), new("package", "VARCHAR"), new("path", "VARCHAR"), new("sha256", "VARCHAR"),
        new("format", "VARCHAR"), new("bytes", "BIGINT"), new("storage", "VARCHAR"), new("encrypted", "BOOLEAN"),
        new("entropy", "DOUBLE"), new("evidence_json", "VARCHAR"),
    ], $"SELECT * FROM ({CurrentModelFiles}) ORDER BY snapshot, package, path");

    public static readonly WarehouseTable FactFrameworkEvidence = new("fact_framework_evidence", true,
    [
        new("snapshot", "VARCHAR"), new("package", "VARCHAR"), new("framework", "VARCHAR"), new("kind", "VARCHAR"),
        new("detail", "VARCHAR"),
    ], $"""
        SELECT DISTINCT e.data->>'snapshot' AS snapshot, e.data->>'package' AS package, e.data->>'framework' AS framework,
               e.data->>'kind' AS kind, e.data->>'detail' AS detail
        FROM event_log e
        JOIN ({LatestScan}) s ON s.snapshot = (e.data->>'snapshot') AND s.package = (e.data->>'package')
                             AND s.scan_key = (e.data->>'scanKey')
        WHERE e.type = 'framework_evidence_found_v1'
        ORDER BY snapshot, package, framework, kind, detail
        """);

    public static readonly WarehouseTable FactScanFailure = new("fact_scan_failure", true,
    [
        new("snapshot", "VARCHAR"), new("package", "VARCHAR"), new("file", "VARCHAR"), new("reason", "VARCHAR"),
    ], """
        SELECT DISTINCT data->>'snapshot' AS snapshot, data->>'package' AS package, data->>'file' AS file,
               data->>'reason' AS reason
        FROM event_log WHERE type = 'app_scan_failed_v1'
        ORDER BY snapshot, package, file, reason
        """);

    public static readonly WarehouseTable FactAppSnapshot = new("fact_app_snapshot", true,
    [
        new("snapshot", "VARCHAR"), new("package", "VARCHAR"), new("listed", "BOOLEAN"), new("scanned", "BOOLEAN"),
        new("title", "VARCHAR"), new("category", "VARCHAR"), new("installs", "VARCHAR"), new("rating", "DOUBLE"),
        new("rank", "INTEGER"), new("crawled_at", "DATE"), new("files_json", "VARCHAR"), new("version_code", "BIGINT"),
        new("version_name", "VARCHAR"), new("min_sdk", "INTEGER"), new("target_sdk", "INTEGER"),
        new("scan_key", "VARCHAR"), new("model_files", "BIGINT"), new("encrypted_model_files", "BIGINT"),
        new("failures", "BIGINT"),
    ], $"""
        WITH l AS ({LatestListing}), s AS ({LatestScan}),
        keys AS (SELECT snapshot, package FROM l UNION SELECT snapshot, package FROM s
                 UNION SELECT snapshot, package FROM fact_scan_failure WHERE package <> ''),
        m AS (SELECT snapshot, package, count(*) FILTER (WHERE NOT encrypted) AS model_files,
                     count(*) FILTER (WHERE encrypted) AS encrypted_model_files
              FROM fact_app_model GROUP BY ALL),
        f AS (SELECT snapshot, package, count(*) AS failures FROM fact_scan_failure GROUP BY ALL)
        SELECT k.snapshot, k.package, l.package IS NOT NULL AS listed, s.package IS NOT NULL AS scanned,
               l.data->>'title' AS title, l.data->>'category' AS category, l.data->>'installs' AS installs,
               CAST(l.data->>'rating' AS DOUBLE) AS rating, CAST(l.data->>'rank' AS INTEGER) AS rank,
               CAST(l.data->>'crawledAt' AS DATE) AS crawled_at,
               CAST(coalesce(l.data->'files', s.data->'files') AS VARCHAR) AS files_json,
               CAST(s.data->>'versionCode' AS BIGINT) AS version_code, s.data->>'versionName' AS version_name,
               CAST(s.data->>'minSdk' AS INTEGER) AS min_sdk, CAST(s.data->>'targetSdk' AS INTEGER) AS target_sdk,
               s.scan_key, coalesce(m.model_files, 0) AS model_files,
               coalesce(m.encrypted_model_files, 0) AS encrypted_model_files, coalesce(f.failures, 0) AS failures
        FROM keys k
        LEFT JOIN l USING (snapshot, package) LEFT JOIN s USING (snapshot, package)
        LEFT JOIN m USING (snapshot, package) LEFT JOIN f USING (snapshot, package)
        ORDER BY k.snapshot, k.package
        """);

    public static readonly WarehouseTable DimSnapshot = new("dim_snapshot", false,
    [
        new("snapshot", "VARCHAR"), new("label", "VARCHAR"), new("captured_at", "DATE"), new("apps", "BIGINT"),
        new("apps_listed", "BIGINT"), new("apps_scanned", "BIGINT"), new("apps_failed", "BIGINT"),
        new("dl_apps", "BIGINT"), new("apps_with_models", "BIGINT"), new("model_files", "BIGINT"),
        new("encrypted_model_files", "BIGINT"), new("unique_models", "BIGINT"), new("formats_json", "VARCHAR"),
    ], """
        WITH opened AS (SELECT data->>'snapshot' AS snapshot, any_value(data->>'label') AS label,
                               any_value(CAST(data->>'capturedAt' AS DATE)) AS captured_at
                        FROM event_log WHERE type = 'snapshot_opened_v1' GROUP BY ALL),
        apps AS (SELECT snapshot, count(*) AS apps, count(*) FILTER (WHERE listed) AS apps_listed,
                        count(*) FILTER (WHERE scanned) AS apps_scanned,
                        count(*) FILTER (WHERE failures > 0) AS apps_failed,
                        count(*) FILTER (WHERE model_files + encrypted_model_files > 0) AS dl_apps,
                        count(*) FILTER (WHERE model_files > 0) AS apps_with_models, min(crawled_at) AS first_crawl
                 FROM fact_app_snapshot GROUP BY ALL),
        models AS (SELECT snapshot, count(*) FILTER (WHERE NOT encrypted) AS model_files,
                          count(*) FILTER (WHERE encrypted) AS encrypted_model_files,
                          count(DISTINCT sha256) FILTER (WHERE NOT encrypted) AS unique_models
                   FROM fact_app_model GROUP BY ALL),
        formats AS (SELECT snapshot, to_json(list({'name': format, 'modelFiles': n} ORDER BY n DESC, format))::VARCHAR AS formats_json
                    FROM (SELECT snapshot, format, count(*) AS n FROM fact_app_model WHERE NOT encrypted GROUP BY ALL)
                    GROUP BY ALL),
        keys AS (SELECT snapshot FROM opened UNION SELECT snapshot FROM apps)
        SELECT k.snapshot, coalesce(o.label, k.snapshot) AS label, coalesce(o.captured_at, a.first_crawl) AS captured_at,
               coalesce(a.apps, 0) AS apps, coalesce(a.apps_listed, 0) AS apps_listed,
               coalesce(a.apps_scanned, 0) AS apps_scanned, coalesce(a.apps_failed, 0) AS apps_failed,
               coalesce(a.dl_apps, 0) AS dl_apps, coalesce(a.apps_with_models, 0) AS apps_with_models,
               coalesce(m.model_files, 0) AS model_files, coalesce(m.encrypted_model_files, 0) AS encrypted_model_files,
               coalesce(m.unique_models, 0) AS unique_models, coalesce(f.formats_json, '[]') AS formats_json
        FROM keys k LEFT JOIN opened o USING (snapshot) LEFT JOIN apps a USING (snapshot)
        LEFT JOIN models m USING (snapshot) LEFT JOIN formats f USING (snapshot)
        ORDER BY k.snapshot
        """);

    public static readonly WarehouseTable DimApp = new("dim_app", false,
    [
        new("package", "VARCHAR"), new("title", "VARCHAR"), new("category", "VARCHAR"),
        new("first_snapshot", "VARCHAR"), new("last_snapshot", "VARCHAR"), new("snapshots", "BIGINT"),
    ], """
        SELECT package, arg_max(title, snapshot) AS title, arg_max(category, snapshot) AS category,
               min(snapshot) AS first_snapshot, max(snapshot) AS last_snapshot, count(*) AS snapshots
        FROM fact_app_snapshot GROUP BY package ORDER BY package
        """);

    public static readonly WarehouseTable DimModel = new("dim_model", false,
    [
        new("sha256", "VARCHAR"), new("format", "VARCHAR"), new("bytes", "BIGINT"), new("encrypted", "BOOLEAN"),
        new("app_count", "BIGINT"), new("file_count", "BIGINT"), new("first_snapshot", "VARCHAR"),
        new("last_snapshot", "VARCHAR"), new("analyser_version", "INTEGER"), new("params", "BIGINT"),
        new("macs", "BIGINT"), new("macs_unknown_nodes", "BIGINT"), new("flops", "BIGINT"), new("quantized", "BOOLEAN"),
        new("layers", "INTEGER"), new("ops_json", "VARCHAR"), new("weight_dtypes_json", "VARCHAR"),
        new("inputs_json", "VARCHAR"), new("outputs_json", "VARCHAR"), new("metadata_json", "VARCHAR"),
        new("arch_fingerprint", "VARCHAR"), new("task", "VARCHAR"), new("task_rule", "VARCHAR"),
        new("dissection_error", "VARCHAR"),
    ], """
        WITH files AS (SELECT sha256, arg_max(format, snapshot) AS format, any_value(bytes) AS bytes, bool_and(encrypted) AS encrypted,
                              count(DISTINCT package) AS app_count, count(*) AS file_count,
                              min(snapshot) AS first_snapshot, max(snapshot) AS last_snapshot
                       FROM fact_app_model GROUP BY sha256),
        dissections AS (SELECT * FROM (
              SELECT data->>'sha256' AS sha256, type, data,
                     row_number() OVER (PARTITION BY data->>'sha256'
                                        ORDER BY CAST(data->>'analyserVersion' AS INTEGER) DESC, seq DESC) AS rn
              FROM event_log WHERE type IN ('model_dissected_v1', 'model_dissection_failed_v1')) WHERE rn = 1),
        ok AS (SELECT * FROM dissections WHERE type = 'model_dissected_v1')
        SELECT f.sha256, f.format, f.bytes, f.encrypted, f.app_count, f.file_count, f.first_snapshot, f.last_snapshot,
               CAST(d.data->>'analyserVersion' AS INTEGER) AS analyser_version,
               CAST(ok.data->>'params' AS BIGINT) AS params, CAST(ok.data->>'macs' AS BIGINT) AS macs,
               CAST(ok.data->>'macsUnknownNodes' AS BIGINT) AS macs_unknown_nodes,
               2 * CAST(ok.data->>'macs' AS BIGINT) AS flops, CAST(ok.data->>'quantized' AS BOOLEAN) AS quantized,
               CAST(ok.data->>'layers' AS INTEGER) AS layers, CAST(ok.data->'ops' AS VARCHAR) AS ops_json,
               CAST(ok.data->'weightDtypes' AS VARCHAR) AS weight_dtypes_json,
               CAST(ok.data->'inputs' AS VARCHAR) AS inputs_json, CAST(ok.data->'outputs' AS VARCHAR) AS outputs_json,
               CAST(ok.data->'metadata' AS VARCHAR) AS metadata_json, ok.data->>'archFingerprint' AS arch_fingerprint,
               ok.data->>'task' AS task, ok.data->>'taskRule' AS task_rule,
               CASE WHEN d.type = 'model_dissection_failed_v1' THEN d.data->>'reason' END AS dissection_error
        FROM files f LEFT JOIN dissections d USING (sha256) LEFT JOIN ok USING (sha256)
        ORDER BY f.sha256
        """);

    // Consecutive snapshots, in id order (ids are crawl dates, YYYY-MM).
    private const string SnapshotPairs = """
        SELECT snapshot AS from_snapshot, next_snapshot AS to_snapshot
        FROM (SELECT snapshot, lead(snapshot) OVER (ORDER BY snapshot) AS next_snapshot FROM dim_snapshot)
        WHERE next_snapshot IS NOT NULL
        """;

    /// <summary>
    /// Model changes of apps present in two consecutive snapshots: first matched by path (same sha256 = unchanged,
    /// other sha256 = updated), the rest paired by format in path order (updated), what is left added or removed.
    /// Encrypted files are not model files and take no part.
    /// </summary>
    public static readonly WarehouseTable FactModelChurn = new("fact_model_churn", false,
    [
        new("from_snapshot", "VARCHAR"), new("to_snapshot", "VARCHAR"), new("package", "VARCHAR"), new("change", "VARCHAR"),
        new("from_path", "VARCHAR"), new("from_sha256", "VARCHAR"), new("from_format", "VARCHAR"),
        new("to_path", "VARCHAR"), new("to_sha256", "VARCHAR"), new("to_format", "VARCHAR"),
    ], $"""
        WITH pairs AS ({SnapshotPairs}),
        continuing AS (SELECT p.from_snapshot, p.to_snapshot, a.package
                       FROM pairs p JOIN fact_app_snapshot a ON a.snapshot = p.from_snapshot
                       JOIN fact_app_snapshot b ON b.snapshot = p.to_snapshot AND b.package = a.package),
        before AS (SELECT c.from_snapshot, c.to_snapshot, c.package, m.path, m.sha256, m.format
                   FROM continuing c JOIN fact_app_model m ON m.snapshot = c.from_snapshot AND m.package = c.package
                   WHERE NOT m.encrypted),
        after AS (SELECT c.from_snapshot, c.to_snapshot, c.package, m.path, m.sha256, m.format
                  FROM continuing c JOIN fact_app_model m ON m.snapshot = c.to_snapshot AND m.package = c.package
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
        SELECT * FROM (SELECT * FROM by_path UNION ALL SELECT * FROM paired)
        ORDER BY from_snapshot, package, change, coalesce(from_path, to_path)
        """);

    /// <summary>Every app of two consecutive snapshots: new, delisted or continuing, and what became of its DL.</summary>
    public static readonly WarehouseTable FactAppChurn = new("fact_app_churn", false,
    [
        new("from_snapshot", "VARCHAR"), new("to_snapshot", "VARCHAR"), new("package", "VARCHAR"), new("status", "VARCHAR"),
        new("version_from", "BIGINT"), new("version_to", "BIGINT"), new("dl", "VARCHAR"),
        new("frameworks_before_json", "VARCHAR"), new("frameworks_after_json", "VARCHAR"),
        new("framework_migration", "BOOLEAN"), new("models_before", "BIGINT"), new("models_after", "BIGINT"),
        new("models_unchanged", "BIGINT"), new("models_updated", "BIGINT"), new("models_added", "BIGINT"),
        new("models_removed", "BIGINT"),
    ], $"""
        WITH pairs AS ({SnapshotPairs}),
        keys AS (SELECT DISTINCT p.from_snapshot, p.to_snapshot, x.package
                 FROM pairs p JOIN fact_app_snapshot x ON x.snapshot IN (p.from_snapshot, p.to_snapshot)),
        frameworks AS (SELECT snapshot, package, list(DISTINCT format ORDER BY format) AS names, count(*) AS models
                       FROM fact_app_model WHERE NOT encrypted GROUP BY ALL),
        changes AS (SELECT from_snapshot, to_snapshot, package,
                           count(*) FILTER (WHERE change = 'unchanged') AS unchanged, count(*) FILTER (WHERE change = 'updated') AS updated,
                           count(*) FILTER (WHERE change = 'added') AS added, count(*) FILTER (WHERE change = 'removed') AS removed
                    FROM fact_model_churn GROUP BY ALL),
        rows AS (
          SELECT k.from_snapshot, k.to_snapshot, k.package,
                 CASE WHEN a.package IS NULL THEN 'new' WHEN b.package IS NULL THEN 'delisted' ELSE 'continuing' END AS status,
                 a.version_code AS version_from, b.version_code AS version_to,
                 coalesce(fa.names, []) AS before_names, coalesce(fb.names, []) AS after_names,
                 coalesce(fa.models, 0) AS models_before, coalesce(fb.models, 0) AS models_after,
                 coalesce(c.unchanged, 0) AS models_unchanged, coalesce(c.updated, 0) AS models_updated,
                 coalesce(c.added, 0) AS models_added, coalesce(c.removed, 0) AS models_removed
          FROM keys k
          LEFT JOIN fact_app_snapshot a ON a.snapshot = k.from_snapshot AND a.package = k.package
          LEFT JOIN fact_app_snapshot b ON b.snapshot = k.to_snapshot AND b.package = k.package
          LEFT JOIN frameworks fa ON fa.snapshot = k.from_snapshot AND fa.package = k.package
          LEFT JOIN frameworks fb ON fb.snapshot = k.to_snapshot AND fb.package = k.package
          LEFT JOIN changes c ON c.from_snapshot = k.from_snapshot AND c.to_snapshot = k.to_snapshot AND c.package = k.package)
        SELECT from_snapshot, to_snapshot, package, status, version_from, version_to,
               CASE WHEN status <> 'continuing' THEN NULL
                    WHEN models_before = 0 AND models_after > 0 THEN 'adopted'
                    WHEN models_before > 0 AND models_after = 0 THEN 'dropped'
                    WHEN models_before > 0 THEN 'kept' ELSE 'none' END AS dl,
               CAST(to_json(before_names) AS VARCHAR) AS frameworks_before_json,
               CAST(to_json(after_names) AS VARCHAR) AS frameworks_after_json,
               status = 'continuing' AND len(list_filter(before_names, f -> NOT list_contains(after_names, f))) > 0
                   AND len(list_filter(after_names, f -> NOT list_contains(before_names, f))) > 0 AS framework_migration,
               models_before, models_after, models_unchanged, models_updated, models_added, models_removed
        FROM rows ORDER BY from_snapshot, package
        """);

    /// <summary>In build order: later tables read earlier ones.</summary>
    public static readonly IReadOnlyList<WarehouseTable> All =
        [FactAppModel, FactFrameworkEvidence, FactScanFailure, FactAppSnapshot, DimSnapshot, DimApp, DimModel, FactModelChurn, FactAppChurn];
}
