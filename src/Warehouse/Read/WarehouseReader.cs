using System.Text.Json;
using GaugeNN.Events;
using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Read;

public sealed record FormatCount(string Name, long ModelFiles);

public sealed record SnapshotSummary(
    string Id, string Label, DateOnly? CapturedAt, long Apps, long AppsListed, long AppsScanned, long AppsFailed,
    long DlApps, long AppsWithModels, long ModelFiles, long EncryptedModelFiles, long UniqueModels,
    IReadOnlyList<FormatCount> Formats);

public sealed record AppModelFile(string Path, string Sha256, string Format, long Bytes, bool Encrypted, double Entropy,
    string Storage, IReadOnlyList<string> Evidence);

/// <summary>
/// One framework in one snapshot: apps with any evidence of it, apps shipping a model of it, and apps that link it
/// (native library or DEX classes) without shipping a model — e.g. models downloaded at run time or cloud APIs.
/// </summary>
public sealed record FrameworkAdoption(string Name, long Apps, long AppsWithModels, long AppsLinkingOnly, long ModelFiles);

public sealed record FrameworkUse(string Name, IReadOnlyList<string> Evidence);

public sealed record AppInSnapshot(
    string Package, string Snapshot, bool Listed, bool Scanned, string? Title, string? Category, long? VersionCode,
    string? VersionName, int? MinSdk, int? TargetSdk);

public sealed record ModelSummary(
    string Sha256, string Format, long Bytes, bool Encrypted, long AppCount, string FirstSnapshot, string LastSnapshot,
    int? AnalyserVersion, long? Params, long? Macs, long? MacsUnknownNodes, long? Flops, bool? Quantized, int? Layers,
    IReadOnlyList<NameCount> Ops, IReadOnlyList<NameCount> WeightDtypes, IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs, string? ArchFingerprint, string? Task, string? TaskRule, string? DissectionError,
    IReadOnlyList<UnknownMacNode> MacsUnknown, IReadOnlyDictionary<string, string> Metadata);

/// <summary>Conditions on models; null fields do not filter.</summary>
public sealed record ModelFilter(string? Sha256 = null, string? Format = null, bool? Quantized = null, string? Task = null,
    string? ArchFingerprint = null);

/// <summary>The read side the API serves: plain queries over the warehouse tables, never a write.</summary>
public sealed class WarehouseReader(ReaderLease lease, string schema = SqlContext.Main)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    /// <summary>The same reader over another schema (an as-of or a churn schema of <see cref="PointInTime"/>).</summary>
    public WarehouseReader At(string other) => new(lease, other);

    // Lists and structs come out of DuckDB as JSON with the tables' snake_case field names.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public IReadOnlyList<SnapshotSummary> Snapshots(string? id = null) => warehouse.Query(
        $"""
        SELECT snapshot, label, captured_at, apps, apps_listed, apps_scanned, apps_failed, dl_apps, apps_with_models,
               model_files, encrypted_model_files, unique_models, CAST(to_json(formats) AS VARCHAR)
        FROM {schema}.{DimSnapshot.Table.Name} WHERE ? IS NULL OR snapshot = ? ORDER BY captured_at NULLS LAST, snapshot
        """,
        r => new SnapshotSummary(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : DuckDbWarehouse.DateOf(r.GetValue(2)),
            r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9),
            r.GetInt64(10), r.GetInt64(11), Parse<List<FormatCount>>(r.GetString(12))),
        id, id);

    /// <summary>Apps by snapshot and/or package (null = any), in snapshot then package order.</summary>
    public IReadOnlyList<AppInSnapshot> Apps(string? snapshot, string? package = null) => warehouse.Query(
        $"""
        SELECT package, snapshot, listed, scanned, title, category, version_code, version_name, min_sdk, target_sdk
        FROM {schema}.{FactAppSnapshot.Table.Name} WHERE {AppFilter} ORDER BY snapshot, package
        """,
        r => new AppInSnapshot(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3), NullableString(r, 4),
            NullableString(r, 5), r.IsDBNull(6) ? null : r.GetInt64(6), NullableString(r, 7),
            r.IsDBNull(8) ? null : r.GetInt32(8), r.IsDBNull(9) ? null : r.GetInt32(9)),
        snapshot, snapshot, package, package);

    /// <summary>Model files keyed by (snapshot, package), in path order.</summary>
    public ILookup<(string Snapshot, string Package), AppModelFile> ModelFiles(string? snapshot, string? package = null) => warehouse.Query(
        $"""
        SELECT snapshot, package, path, sha256, format, bytes, encrypted, entropy, storage, CAST(to_json(evidence) AS VARCHAR)
        FROM {schema}.{FactAppModel.Table.Name} WHERE {AppFilter} ORDER BY snapshot, package, path
        """,
        r => (Key: (r.GetString(0), r.GetString(1)), File: new AppModelFile(r.GetString(2), r.GetString(3), r.GetString(4),
            r.GetInt64(5), r.GetBoolean(6), r.GetDouble(7), r.GetString(8), Parse<List<string>>(r.GetString(9)))),
        snapshot, snapshot, package, package).ToLookup(x => x.Key, x => x.File);

    /// <summary>Frameworks with their kinds of evidence, keyed by (snapshot, package).</summary>
    public ILookup<(string Snapshot, string Package), FrameworkUse> Frameworks(string? snapshot, string? package = null) => warehouse.Query(
        $"""
        SELECT snapshot, package, framework, list(DISTINCT kind ORDER BY kind)
        FROM {schema}.{FactFrameworkEvidence.Table.Name} WHERE {AppFilter} GROUP BY ALL ORDER BY snapshot, package, framework
        """,
        r => (Key: (r.GetString(0), r.GetString(1)), Use: new FrameworkUse(r.GetString(2), ((System.Collections.IEnumerable)r.GetValue(3)).Cast<string>().ToList())),
        snapshot, snapshot, package, package).ToLookup(x => x.Key, x => x.Use);

    public IReadOnlyList<FrameworkAdoption> FrameworkAdoption(string snapshot) => warehouse.Query(
        $"""
        WITH per_app AS (SELECT package, framework, bool_or(kind = 'model') AS ships_model
                         FROM {schema}.{FactFrameworkEvidence.Table.Name} WHERE snapshot = ? GROUP BY ALL),
        files AS (SELECT format, count(*) AS model_files FROM {schema}.{FactAppModel.Table.Name}
                  WHERE snapshot = ? AND NOT encrypted GROUP BY ALL)
        SELECT framework, count(*), count(*) FILTER (WHERE ships_model), count(*) FILTER (WHERE NOT ships_model),
               coalesce(any_value(files.model_files), 0)
        FROM per_app LEFT JOIN files ON files.format = per_app.framework
        GROUP BY framework ORDER BY count(*) DESC, framework
        """,
        r => new FrameworkAdoption(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)),
        snapshot, snapshot);

    private const string AppFilter = "(? IS NULL OR snapshot = ?) AND (? IS NULL OR package = ?)";

    public ModelSummary? Model(string sha256) => Models(new ModelFilter(Sha256: sha256), 1, null).SingleOrDefault();

    /// <summary>Models matching <paramref name="filter"/> in sha256 order, after the cursor sha256, at most <paramref name="first"/>.</summary>
    public IReadOnlyList<ModelSummary> Models(ModelFilter filter, int first, string? afterSha256) => warehouse.Query(
        $"""
        SELECT sha256, format, bytes, encrypted, app_count, first_snapshot, last_snapshot, analyser_version, params, macs,
               macs_unknown_nodes, flops, quantized, layers, CAST(to_json(ops) AS VARCHAR), CAST(to_json(weight_dtypes) AS VARCHAR),
               CAST(to_json(inputs) AS VARCHAR), CAST(to_json(outputs) AS VARCHAR),
               arch_fingerprint, task, task_rule, dissection_error, CAST(to_json(macs_unknown) AS VARCHAR),
               CAST(to_json(metadata) AS VARCHAR)
        FROM {schema}.{DimModel.Table.Name}
        WHERE (? IS NULL OR sha256 = ?) AND (? IS NULL OR format = ?) AND (? IS NULL OR quantized = ?)
          AND (? IS NULL OR task = ?) AND (? IS NULL OR arch_fingerprint = ?) AND sha256 > ?
        ORDER BY sha256 LIMIT ?
        """,
        r => new ModelSummary(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetBoolean(3), r.GetInt64(4),
            r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetInt32(7), NullableLong(r, 8), NullableLong(r, 9),
            NullableLong(r, 10), NullableLong(r, 11), r.IsDBNull(12) ? null : r.GetBoolean(12),
            r.IsDBNull(13) ? null : r.GetInt32(13), ParseOrEmpty<NameCount>(r, 14), ParseOrEmpty<NameCount>(r, 15),
            ParseOrEmpty<TensorSpec>(r, 16), ParseOrEmpty<TensorSpec>(r, 17), NullableString(r, 18),
            NullableString(r, 19), NullableString(r, 20), NullableString(r, 21), ParseOrEmpty<UnknownMacNode>(r, 22),
            r.IsDBNull(23) ? new Dictionary<string, string>() : Parse<Dictionary<string, string>>(r.GetString(23))),
        filter.Sha256, filter.Sha256, filter.Format, filter.Format, filter.Quantized, filter.Quantized, filter.Task, filter.Task,
        filter.ArchFingerprint, filter.ArchFingerprint, afterSha256 ?? "", first);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    private static IReadOnlyList<T> ParseOrEmpty<T>(DuckDB.NET.Data.DuckDBDataReader r, int i) =>
        r.IsDBNull(i) ? [] : Parse<List<T>>(r.GetString(i));

    private static string? NullableString(DuckDB.NET.Data.DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? NullableLong(DuckDB.NET.Data.DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
