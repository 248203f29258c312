using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Read;

/// <summary>Counts of what changed between two consecutive snapshots (definitions: tests/fixtures README of the corpus).</summary>
public sealed record ChurnSummary(
    long AppsBefore, long AppsAfter, long AppsContinuing, long AppsNew, long AppsDelisted, long AppsVersionChanged,
    long AppsAdoptedDl, long AppsDroppedDl, long AppsWithModelChanges, long AppsWithUpdatedModels,
    long AppsFrameworkMigrated, long ModelsUnchanged, long ModelsUpdated, long ModelsAdded, long ModelsRemoved,
    long NewAppsWithModels, long ModelsInNewApps, long ModelsInDelistedApps, long UniqueModelSha256New,
    long UniqueModelSha256Gone);

public sealed record ModelRef(string Path, string Sha256, string Format);

public sealed record ModelChange(ModelRef From, ModelRef To);

public sealed record AppChurn(
    string Package, string Status, long? VersionFrom, long? VersionTo, string? Dl, IReadOnlyList<string> FrameworksBefore,
    IReadOnlyList<string> FrameworksAfter, bool FrameworkMigration, long ModelsBefore, long ModelsAfter,
    long ModelsUnchanged, IReadOnlyList<ModelChange> Updated, IReadOnlyList<ModelRef> Added, IReadOnlyList<ModelRef> Removed);

/// <summary>Churn between two snapshots, read from <c>fact_app_churn</c> and <c>fact_model_churn</c> (consecutive pairs live in <c>main</c>).</summary>
public sealed class ChurnReader(ReaderLease lease, string schema = SqlContext.Main, string appSchema = SqlContext.Main)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    /// <summary>The churn tables of <paramref name="churnSchema"/> (a churn schema of <see cref="PointInTime"/>), the app tables of <paramref name="apps"/>.</summary>
    public ChurnReader At(string churnSchema, string apps) => new(lease, churnSchema, apps);

    /// <summary>Null when the schema holds no churn rows for the pair.</summary>
    public ChurnSummary? Summary(string from, string to)
    {
        string sql = $"""
            WITH a AS (SELECT * FROM {schema}.fact_app_churn WHERE from_snapshot = ? AND to_snapshot = ?),
            c AS (SELECT * FROM a WHERE status = 'continuing'),
            before AS (SELECT DISTINCT sha256 FROM {appSchema}.fact_app_model WHERE snapshot = ? AND NOT encrypted),
            after AS (SELECT DISTINCT sha256 FROM {appSchema}.fact_app_model WHERE snapshot = ? AND NOT encrypted)
            SELECT (SELECT count(*) FROM a WHERE status <> 'new'), (SELECT count(*) FROM a WHERE status <> 'delisted'),
                   (SELECT count(*) FROM c), (SELECT count(*) FROM a WHERE status = 'new'),
                   (SELECT count(*) FROM a WHERE status = 'delisted'),
                   (SELECT count(*) FROM c WHERE version_from IS DISTINCT FROM version_to),
                   (SELECT count(*) FROM c WHERE dl = 'adopted'), (SELECT count(*) FROM c WHERE dl = 'dropped'),
                   (SELECT count(*) FROM c WHERE models_updated + models_added + models_removed > 0),
                   (SELECT count(*) FROM c WHERE models_updated > 0), (SELECT count(*) FROM c WHERE framework_migration),
                   (SELECT CAST(coalesce(sum(models_unchanged), 0) AS BIGINT) FROM c), (SELECT CAST(coalesce(sum(models_updated), 0) AS BIGINT) FROM c),
                   (SELECT CAST(coalesce(sum(models_added), 0) AS BIGINT) FROM c), (SELECT CAST(coalesce(sum(models_removed), 0) AS BIGINT) FROM c),
                   (SELECT count(*) FROM a WHERE status = 'new' AND models_after > 0),
                   (SELECT CAST(coalesce(sum(models_after), 0) AS BIGINT) FROM a WHERE status = 'new'),
                   (SELECT CAST(coalesce(sum(models_before), 0) AS BIGINT) FROM a WHERE status = 'delisted'),
                   (SELECT count(*) FROM (SELECT * FROM after EXCEPT SELECT * FROM before)),
                   (SELECT count(*) FROM (SELECT * FROM before EXCEPT SELECT * FROM after)),
                   (SELECT count(*) FROM a)
            """;
        var row = warehouse.Query(sql, r => Enumerable.Range(0, 21).Select(i => Convert.ToInt64(r.GetValue(i))).ToArray(), from, to, from, to).Single();
        if (row[20] == 0) return null;
        return new ChurnSummary(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10],
            row[11], row[12], row[13], row[14], row[15], row[16], row[17], row[18], row[19]);
    }

    private static readonly Keyset PackageOrder = new("churn:package", new SortKey("package"));

    private static (string Sql, object?[] Parameters) Where(string from, string to, string? status) =>
        status is null
            ? ("from_snapshot = ? AND to_snapshot = ?", [from, to])
            : ("from_snapshot = ? AND to_snapshot = ? AND status = ?", [from, to, status]);

    /// <summary>Apps of the pair (of one status, when given) in package order, each with its model changes.</summary>
    public Page<AppChurn> Apps(string from, string to, string? status, int first, string? after)
    {
        var (where, parameters) = Where(from, to, status);
        var page = Pages.Read(warehouse, PackageOrder,
            ["package", "status", "version_from", "version_to", "dl", "frameworks_before", "frameworks_after", "framework_migration",
             "models_before", "models_after", "models_unchanged"],
            $"{schema}.{FactAppChurn.Table.Name}", where, parameters, first, after,
            r => new AppChurn(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2),
                r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.GetFieldValue<List<string>>(5), r.GetFieldValue<List<string>>(6),
                r.GetBoolean(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), [], [], []));
        if (page.Items.Count == 0) return page;
        // Only the changes of this page's apps.
        var changes = warehouse.Query(
            $"""
            SELECT package, change, from_path, from_sha256, from_format, to_path, to_sha256, to_format
            FROM {schema}.{FactModelChurn.Table.Name}
            WHERE from_snapshot = ? AND to_snapshot = ? AND change <> 'unchanged' AND package IN {Sql.Literals(page.Items.Select(i => i.Node.Package))}
            ORDER BY package, coalesce(from_path, to_path), to_path
            """,
            r => (Package: r.GetString(0), Change: r.GetString(1),
                From: r.IsDBNull(2) ? null : new ModelRef(r.GetString(2), r.GetString(3), r.GetString(4)),
                To: r.IsDBNull(5) ? null : new ModelRef(r.GetString(5), r.GetString(6), r.GetString(7))),
            from, to).ToLookup(c => c.Package);
        return page with
        {
            Items = page.Items.Select(item =>
            {
                var mine = changes[item.Node.Package].ToList();
                return item with
                {
                    Node = item.Node with
                    {
                        Updated = mine.Where(c => c.Change == "updated").Select(c => new ModelChange(c.From!, c.To!)).ToList(),
                        Added = mine.Where(c => c.Change == "added").Select(c => c.To!).ToList(),
                        Removed = mine.Where(c => c.Change == "removed").Select(c => c.From!).ToList(),
                    },
                };
            }).ToList(),
        };
    }

    public long Count(string from, string to, string? status)
    {
        var (where, parameters) = Where(from, to, status);
        return warehouse.Scalar<long>($"SELECT count(*) FROM {schema}.{FactAppChurn.Table.Name} WHERE {where}", parameters);
    }
}
