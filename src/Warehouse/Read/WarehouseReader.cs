using System.Text.Json;
using GaugeNN.Events;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Read;

public sealed record FormatCount(string Name, long ModelFiles);

public sealed record SnapshotSummary(
    string Id, string Label, DateOnly? CapturedAt, long Apps, long AppsListed, long AppsScanned, long AppsFailed,
    long DlApps, long AppsWithModels, long ModelFiles, long EncryptedModelFiles, long UniqueModels,
    IReadOnlyList<FormatCount> Formats);

public sealed record AppModelFile(string Path, string Sha256, string Format, long Bytes, bool Encrypted, double Entropy,
    string Storage, IReadOnlyList<string> Evidence);

public sealed record FrameworkUse(string Name, IReadOnlyList<string> Evidence);

public sealed record AppInSnapshot(
    string Package, string Snapshot, bool Listed, bool Scanned, string? Title, string? Category, long? VersionCode,
    string? VersionName, int? MinSdk, int? TargetSdk);

public sealed record ModelSummary(
    string Sha256, string Format, long Bytes, bool Encrypted, long AppCount, string FirstSnapshot, string LastSnapshot,
    int? AnalyserVersion, long? Params, long? Macs, long? MacsUnknownNodes, long? Flops, bool? Quantized, int? Layers,
    IReadOnlyList<NameCount> Ops, IReadOnlyList<NameCount> WeightDtypes, IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs, string? ArchFingerprint, string? Task, string? TaskRule, string? DissectionError);

/// <summary>The read side the API serves: plain queries over the warehouse tables, never a write.</summary>
public sealed class WarehouseReader(DuckDbWarehouse warehouse)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<SnapshotSummary> Snapshots(string? id = null) => warehouse.Query(
        $"""
        SELECT snapshot, label, captured_at, apps, apps_listed, apps_scanned, apps_failed, dl_apps, apps_with_models,
               model_files, encrypted_model_files, unique_models, formats_json
        FROM {WarehouseTables.DimSnapshot.Name} WHERE ? IS NULL OR snapshot = ? ORDER BY snapshot
        """,
        r => new SnapshotSummary(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : DateOnlyOf(r.GetValue(2)),
            r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9),
            r.GetInt64(10), r.GetInt64(11), Parse<List<FormatCount>>(r.GetString(12))),
        id, id);

    public IReadOnlyList<AppInSnapshot> Apps(string snapshot) => warehouse.Query(
        $"""
        SELECT package, snapshot, listed, scanned, title, category, version_code, version_name, min_sdk, target_sdk
        FROM {WarehouseTables.FactAppSnapshot.Name} WHERE snapshot = ? ORDER BY package
        """,
        r => new AppInSnapshot(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3), NullableString(r, 4),
            NullableString(r, 5), r.IsDBNull(6) ? null : r.GetInt64(6), NullableString(r, 7),
            r.IsDBNull(8) ? null : r.GetInt32(8), r.IsDBNull(9) ? null : r.GetInt32(9)),
        snapshot);

    /// <summary>Model files per package in one snapshot, in path order.</summary>
    public ILookup<string, AppModelFile> ModelFiles(string snapshot) => warehouse.Query(
        $"""
        SELECT package, path, sha256, format, bytes, encrypted, entropy, storage, evidence_json
        FROM {WarehouseTables.FactAppModel.Name} WHERE snapshot = ? ORDER BY package, path
        """,
        r => (Package: r.GetString(0), File: new AppModelFile(r.GetString(1), r.GetString(2), r.GetString(3),
            r.GetInt64(4), r.GetBoolean(5), r.GetDouble(6), r.GetString(7), Parse<List<string>>(r.GetString(8)))),
        snapshot).ToLookup(x => x.Package, x => x.File);

    public ILookup<string, FrameworkUse> Frameworks(string snapshot) => warehouse.Query(
        $"""
        SELECT package, framework, list(DISTINCT kind ORDER BY kind)
        FROM {WarehouseTables.FactFrameworkEvidence.Name} WHERE snapshot = ? GROUP BY ALL ORDER BY package, framework
        """,
        r => (Package: r.GetString(0), Use: new FrameworkUse(r.GetString(1), ((System.Collections.IEnumerable)r.GetValue(2)).Cast<string>().ToList())),
        snapshot).ToLookup(x => x.Package, x => x.Use);

    public ModelSummary? Model(string sha256) => warehouse.Query(
        $"""
        SELECT sha256, format, bytes, encrypted, app_count, first_snapshot, last_snapshot, analyser_version, params, macs,
               macs_unknown_nodes, flops, quantized, layers, ops_json, weight_dtypes_json, inputs_json, outputs_json,
               arch_fingerprint, task, task_rule, dissection_error
        FROM {WarehouseTables.DimModel.Name} WHERE sha256 = ?
        """,
        r => new ModelSummary(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetBoolean(3), r.GetInt64(4),
            r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetInt32(7), NullableLong(r, 8), NullableLong(r, 9),
            NullableLong(r, 10), NullableLong(r, 11), r.IsDBNull(12) ? null : r.GetBoolean(12),
            r.IsDBNull(13) ? null : r.GetInt32(13), ParseOrEmpty<NameCount>(r, 14), ParseOrEmpty<NameCount>(r, 15),
            ParseOrEmpty<TensorSpec>(r, 16), ParseOrEmpty<TensorSpec>(r, 17), NullableString(r, 18),
            NullableString(r, 19), NullableString(r, 20), NullableString(r, 21)),
        sha256).SingleOrDefault();

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    private static IReadOnlyList<T> ParseOrEmpty<T>(DuckDB.NET.Data.DuckDBDataReader r, int i) =>
        r.IsDBNull(i) ? [] : Parse<List<T>>(r.GetString(i));

    private static string? NullableString(DuckDB.NET.Data.DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? NullableLong(DuckDB.NET.Data.DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static DateOnly DateOnlyOf(object value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        _ => DateOnly.Parse(value.ToString()!),
    };
}
