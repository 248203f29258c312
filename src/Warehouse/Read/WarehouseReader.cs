using System.Text.Json;
using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Read;

public sealed record FormatCount(string Name, long ModelFiles);

public sealed record SnapshotSummary(
    string Id, string Label, DateOnly? CapturedAt, long Apps, long AppsListed, long AppsScanned, long AppsFailed,
    long DlApps, long AppsWithModels, long ModelFiles, long EncryptedModelFiles, long UniqueModels,
    IReadOnlyList<FormatCount> Formats);

/// <summary>
/// One framework in one snapshot: apps with any evidence of it, apps shipping a model of it, and apps that link it
/// (native library or DEX classes) without shipping a model — e.g. models downloaded at run time or cloud APIs.
/// </summary>
public sealed record FrameworkAdoption(string Name, long Apps, long AppsWithModels, long AppsLinkingOnly, long ModelFiles);

/// <summary>Of a snapshot's identified unique models: how many are quantised, and how many have a known precision.</summary>
public sealed record SnapshotPrecision(long Quantized, long Known)
{
    public double? Share => Known == 0 ? null : Quantized / (double)Known;
}

/// <summary>Snapshots and their per-snapshot figures (<c>dim_snapshot</c> and what is counted over a snapshot).</summary>
public sealed class WarehouseReader(ReaderLease lease, string schema = SqlContext.Main)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    /// <summary>The same reader over another schema (an as-of or a churn schema of <see cref="PointInTime"/>).</summary>
    public WarehouseReader At(string other) => new(lease, other);

    // Lists and structs come out of DuckDB as JSON with the tables' snake_case field names.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Every snapshot (or the one named) in capture order.</summary>
    public IReadOnlyList<SnapshotSummary> Snapshots(string? id = null) => warehouse.Query(
        $"""
        SELECT snapshot, label, captured_at, apps, apps_listed, apps_scanned, apps_failed, dl_apps, apps_with_models,
               model_files, encrypted_model_files, unique_models, CAST(to_json(formats) AS VARCHAR)
        FROM {schema}.{DimSnapshot.Table.Name} s WHERE ? IS NULL OR snapshot = ?
        ORDER BY {string.Join(", ", Pages.SnapshotOrder("s").Select(k => k.Expression))}
        """,
        r => new SnapshotSummary(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : DuckDbWarehouse.DateOf(r.GetValue(2)),
            r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9),
            r.GetInt64(10), r.GetInt64(11), JsonSerializer.Deserialize<List<FormatCount>>(r.GetString(12), Json)!),
        id, id);

    /// <summary>Per snapshot asked, each framework's adoption, most-adopted first.</summary>
    public ILookup<string, FrameworkAdoption> FrameworkAdoption(IReadOnlyCollection<string> snapshots) => warehouse.Query(
        $"""
        WITH per_app AS (SELECT snapshot, package, framework, bool_or(kind = 'model') AS ships_model
                         FROM {schema}.{FactFrameworkEvidence.Table.Name} WHERE snapshot IN {Sql.Literals(snapshots)} GROUP BY ALL),
        files AS (SELECT snapshot, format, count(*) AS model_files FROM {schema}.{FactAppModel.Table.Name}
                  WHERE snapshot IN {Sql.Literals(snapshots)} AND NOT encrypted GROUP BY ALL)
        SELECT p.snapshot, p.framework, count(*), count(*) FILTER (WHERE p.ships_model), count(*) FILTER (WHERE NOT p.ships_model),
               coalesce(any_value(f.model_files), 0)
        FROM per_app p LEFT JOIN files f ON f.snapshot = p.snapshot AND f.format = p.framework
        GROUP BY p.snapshot, p.framework ORDER BY p.snapshot, count(*) DESC, p.framework
        """,
        r => (Snapshot: r.GetString(0), Adoption: new FrameworkAdoption(r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5))))
        .ToLookup(x => x.Snapshot, x => x.Adoption);

    /// <summary>Per snapshot asked, the quantised share of its identified unique models.</summary>
    public Dictionary<string, SnapshotPrecision> Precision(IReadOnlyCollection<string> snapshots)
    {
        var found = warehouse.Query(
            $"""
            SELECT m.snapshot, count(DISTINCT m.sha256) FILTER (WHERE d.quantized), count(DISTINCT m.sha256) FILTER (WHERE d.quantized IS NOT NULL)
            FROM {schema}.{FactAppModel.Table.Name} m JOIN {schema}.{DimModel.Table.Name} d USING (sha256)
            WHERE m.snapshot IN {Sql.Literals(snapshots)} AND NOT m.encrypted GROUP BY m.snapshot
            """,
            r => (Snapshot: r.GetString(0), Precision: new SnapshotPrecision(r.GetInt64(1), r.GetInt64(2))))
            .ToDictionary(x => x.Snapshot, x => x.Precision);
        return snapshots.Distinct().ToDictionary(s => s, s => found.GetValueOrDefault(s) ?? new SnapshotPrecision(0, 0));
    }

    /// <summary>How many snapshots and devices there are: the lengths of the API's unpaged lists grow with them.</summary>
    public (long Snapshots, long Devices) Counts() => warehouse.Query(
        $"SELECT (SELECT count(*) FROM {schema}.{DimSnapshot.Table.Name}), (SELECT count(*) FROM {schema}.{DimDevice.Table.Name})",
        r => (r.GetInt64(0), r.GetInt64(1))).Single();
}
