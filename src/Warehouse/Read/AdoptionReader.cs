using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Read;

/// <summary>What an adoption series is grouped by.</summary>
public enum AdoptionDimension
{
    /// <summary>Model format: apps shipping at least one model of it, as a share of all apps.</summary>
    Framework,

    /// <summary>Store category: apps shipping at least one model, as a share of the category's apps.</summary>
    Category,

    /// <summary>Inferred task: apps shipping at least one model for it, as a share of all apps.</summary>
    Task,
}

public sealed record AdoptionPoint(string Snapshot, long Apps, long OutOf, double Share);

public sealed record AdoptionSeries(string Key, IReadOnlyList<AdoptionPoint> Points);

/// <summary>Adoption of on-device DL over snapshots (identified model files only; encrypted ones are not counted).</summary>
public sealed class AdoptionReader(ReaderLease lease, string schema = SqlContext.Main)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    /// <summary>The same reader over another schema (an as-of or a churn schema of <see cref="PointInTime"/>).</summary>
    public AdoptionReader At(string other) => new(lease, other);

    public IReadOnlyList<AdoptionSeries> Series(AdoptionDimension by)
    {
        string sql = by switch
        {
            AdoptionDimension.Framework => $"""
                SELECT m.snapshot, m.format AS key, count(DISTINCT m.package) AS apps, any_value(t.apps) AS out_of
                FROM {schema}.{FactAppModel.Table.Name} m JOIN {schema}.{DimSnapshot.Table.Name} t USING (snapshot)
                WHERE NOT m.encrypted GROUP BY ALL
                """,
            AdoptionDimension.Category => $"""
                SELECT a.snapshot, coalesce(a.category, 'unknown') AS key, count(*) FILTER (WHERE a.model_files > 0) AS apps,
                       count(*) AS out_of
                FROM {schema}.{FactAppSnapshot.Table.Name} a GROUP BY ALL
                """,
            AdoptionDimension.Task => $"""
                SELECT m.snapshot, coalesce(d.task, 'unknown') AS key, count(DISTINCT m.package) AS apps, any_value(t.apps) AS out_of
                FROM {schema}.{FactAppModel.Table.Name} m JOIN {schema}.{DimSnapshot.Table.Name} t USING (snapshot)
                LEFT JOIN {schema}.{DimModel.Table.Name} d USING (sha256)
                WHERE NOT m.encrypted GROUP BY ALL
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(by)),
        };
        return warehouse.Query(
                $"SELECT x.snapshot, x.key, x.apps, x.out_of FROM ({sql}) x JOIN {schema}.{DimSnapshot.Table.Name} s USING (snapshot) ORDER BY x.key, s.captured_at NULLS LAST, x.snapshot",
                r => (Key: r.GetString(1), Point: new AdoptionPoint(r.GetString(0), Convert.ToInt64(r.GetValue(2)), Convert.ToInt64(r.GetValue(3)),
                    Convert.ToInt64(r.GetValue(3)) == 0 ? 0 : Convert.ToInt64(r.GetValue(2)) / (double)Convert.ToInt64(r.GetValue(3)))))
            .GroupBy(x => x.Key, x => x.Point)
            .Select(g => new AdoptionSeries(g.Key, g.ToList()))
            .ToList();
    }
}
