using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactAppSnapshot
{
    /// <summary>
    /// An app of a snapshot is one listed or scanned there: a file that no listing line names and that failed to
    /// scan is a failure row (<c>fact_scan_failure</c>), not an app.
    /// </summary>
    public static readonly DerivedTable Table = new("fact_app_snapshot",
        "An app of a snapshot (listed or scanned there): its listing, manifest and counts.", Scope.App,
        [
            new("snapshot", "VARCHAR", "snapshot id"),
            new("package", "VARCHAR", "app package name"),
            new("listed", "BOOLEAN", "a listing line names it"),
            new("scanned", "BOOLEAN", "its files were read"),
            new("title", "VARCHAR", "store title"),
            new("category", "VARCHAR", "store category"),
            new("installs", "VARCHAR", "store install bucket, as listed"),
            new("rating", "DOUBLE", "store rating"),
            new("rank", "INTEGER", "rank in its category"),
            new("crawled_at", "DATE", "crawl date of the listing"),
            new("files", "VARCHAR[]", "its crawled files (listing, else scan)"),
            new("version_code", "BIGINT", "manifest versionCode"),
            new("version_name", "VARCHAR", "manifest versionName"),
            new("min_sdk", "INTEGER", "manifest minSdkVersion"),
            new("target_sdk", "INTEGER", "manifest targetSdkVersion"),
            new("permissions", "VARCHAR[]", "manifest permissions"),
            new("features", "VARCHAR[]", "manifest uses-feature names"),
            new("scan_key", "VARCHAR", "sha256 over the digests of the scanned files"),
            new("model_files", "BIGINT", "identified model files"),
            new("encrypted_model_files", "BIGINT", "encrypted model files"),
            new("failures", "BIGINT", "scan failures"),
        ],
        ctx => $"""
            WITH l AS ({AppSql.Latest(ctx, AppListedTable.Table)}),
            s AS ({AppSql.Latest(ctx, ApkScannedTable.Table)}),
            keys AS (SELECT snapshot, package FROM l UNION SELECT snapshot, package FROM s),
            m AS (SELECT snapshot, package, count(*) FILTER (WHERE NOT encrypted) AS model_files,
                         count(*) FILTER (WHERE encrypted) AS encrypted_model_files
                  FROM {ctx.Table(FactAppModel.Table)} WHERE {ctx.In(Scope.App, "snapshot", "package")} GROUP BY ALL),
            f AS (SELECT snapshot, package, count(*) AS failures
                  FROM {ctx.Table(FactScanFailure.Table)} WHERE {ctx.In(Scope.App, "snapshot", "package")} GROUP BY ALL)
            SELECT k.snapshot, k.package, l.package IS NOT NULL AS listed, s.package IS NOT NULL AS scanned,
                   l.title, l.category, l.installs, l.rating, l.rank, l.crawled_at, coalesce(l.files, s.file_names) AS files,
                   s.version_code, s.version_name, s.min_sdk, s.target_sdk, s.permissions, s.features, s.scan_key,
                   coalesce(m.model_files, 0) AS model_files, coalesce(m.encrypted_model_files, 0) AS encrypted_model_files,
                   coalesce(f.failures, 0) AS failures
            FROM keys k
            LEFT JOIN l USING (snapshot, package) LEFT JOIN s USING (snapshot, package)
            LEFT JOIN m USING (snapshot, package) LEFT JOIN f USING (snapshot, package)
            """,
        PartitionColumn: "snapshot");
}
