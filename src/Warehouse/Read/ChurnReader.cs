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
        // One pass over the pair's app rows (FILTERed aggregates), then the two sha256 set differences.
        string sql = $"""
            WITH a AS (SELECT * FROM {schema}.{FactAppChurn.Table.Name} WHERE from_snapshot = ? AND to_snapshot = ?),
            sums AS (SELECT count(*) FILTER (WHERE status <> 'new') AS s0, count(*) FILTER (WHERE status <> 'delisted') AS s1,
                            count(*) FILTER (WHERE status = 'continuing') AS s2, count(*) FILTER (WHERE status = 'new') AS s3,
                            count(*) FILTER (WHERE status = 'delisted') AS s4,
                            count(*) FILTER (WHERE status = 'continuing' AND version_from IS DISTINCT FROM version_to) AS s5,
                            count(*) FILTER (WHERE status = 'continuing' AND dl = 'adopted') AS s6,
                            count(*) FILTER (WHERE status = 'continuing' AND dl = 'dropped') AS s7,
                            count(*) FILTER (WHERE status = 'continuing' AND models_updated + models_added + models_removed > 0) AS s8,
                            count(*) FILTER (WHERE status = 'continuing' AND models_updated > 0) AS s9,
                            count(*) FILTER (WHERE status = 'continuing' AND framework_migration) AS s10,
                            CAST(coalesce(sum(models_unchanged) FILTER (WHERE status = 'continuing'), 0) AS BIGINT) AS s11,
                            CAST(coalesce(sum(models_updated) FILTER (WHERE status = 'continuing'), 0) AS BIGINT) AS s12,
                            CAST(coalesce(sum(models_added) FILTER (WHERE status = 'continuing'), 0) AS BIGINT) AS s13,
                            CAST(coalesce(sum(models_removed) FILTER (WHERE status = 'continuing'), 0) AS BIGINT) AS s14,
                            count(*) FILTER (WHERE status = 'new' AND models_after > 0) AS s15,
                            CAST(coalesce(sum(models_after) FILTER (WHERE status = 'new'), 0) AS BIGINT) AS s16,
                            CAST(coalesce(sum(models_before) FILTER (WHERE status = 'delisted'), 0) AS BIGINT) AS s17,
                            count(*) AS total
                     FROM a),
            before AS (SELECT DISTINCT sha256 FROM {appSchema}.{FactAppModel.Table.Name} WHERE snapshot = ? AND NOT encrypted),
            after AS (SELECT DISTINCT sha256 FROM {appSchema}.{FactAppModel.Table.Name} WHERE snapshot = ? AND NOT encrypted)
            SELECT s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17,
                   (SELECT count(*) FROM (SELECT * FROM after EXCEPT SELECT * FROM before)),
                   (SELECT count(*) FROM (SELECT * FROM before EXCEPT SELECT * FROM after)), total
            FROM sums
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
