using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;
using static GaugeNN.Warehouse.Read.Sql;

namespace GaugeNN.Warehouse.Read;

public sealed record Device(
    string Id, string? Serial, string? Manufacturer, string? Model, string? Family, string? Soc, string? Abi, int? Sdk,
    long? RamMb, int? Cores, int? BigCores, int? LittleCores, int? BigCoreMaxMhz, string? CpuModel, string Tier, int? Year,
    string Source, bool Inferred);

public sealed record Measurement(
    string RunId, string? PlanId, string ModelSha256, string DeviceId, string Runtime, string? RuntimeVersion, string Backend,
    string? Delegation, int? DelegateKernels, int? Threads, int? WarmupRuns, int? TimedRuns, double? InitMs,
    double? FirstInferenceMs, double? WarmupMeanMs, double? MeanMs, double? StdMs, double? MinMs, double? MaxMs, double? P5Ms,
    double? P50Ms, double? P90Ms, double? P95Ms, double? P99Ms, double? PeakMemoryMb, double? EnergyMjPerInference,
    double? AvgPowerMw, int? PowerSamples, double? PowerSampleHz, string? EnergyMethod, double? TempBeforeC,
    double? TempAfterC, string Tool, string? ToolVersion, string Provenance, string? SourceFile, string? SourceSha256,
    IReadOnlyDictionary<string, string> Conditions, DateTimeOffset RecordedAt);

/// <summary>Conditions on measurements; null fields do not filter.</summary>
public sealed record MeasurementFilter(
    string? Model = null, string? Device = null, string? Tier = null, string? Runtime = null, string? Backend = null,
    int? Threads = null, string? Family = null, int? Year = null);

/// <summary>What measurements are grouped by in a comparison.</summary>
public enum CompareBy
{
    Tier,
    Generation,
    Backend,
    Threads,
    Runtime,
    Device,
}

/// <summary>
/// One group of a comparison: its key, how many devices and runs it holds, and each figure as the median over its
/// runs of that run's figure (with one run, the run's own figure, exactly as recorded).
/// </summary>
public sealed record Comparison(
    string Key, long Devices, long Runs, double? MeanMs, double? P50Ms, double? P90Ms, double? P99Ms,
    double? EnergyMjPerInference, double? PeakMemoryMb, IReadOnlyList<string> DeviceIds);

/// <summary>A model and a variant of it (e.g. its quantised twin) measured on the same device with the same runtime and backend.</summary>
public sealed record VariantSaving(
    string DeviceId, string Tier, int? Year, string Runtime, string Backend, double? ModelP50Ms, double? VariantP50Ms,
    double? LatencySaving, double? ModelEnergyMj, double? VariantEnergyMj, double? EnergySaving);

/// <summary>Devices and measurements, read from <c>dim_device</c> and <c>fact_measurement</c>.</summary>
public sealed class MeasurementReader(ReaderLease lease)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    private static string Devices => $"{SqlContext.Main}.{DimDevice.Table.Name}";
    private static string Measurements => $"{SqlContext.Main}.{FactMeasurement.Table.Name}";

    public IReadOnlyList<Device> DevicesById(IReadOnlyCollection<string>? ids = null) => warehouse.Query(
        $"""
        SELECT device_id, serial, manufacturer, model, family, soc, abi, sdk, ram_mb, cores, big_cores, little_cores,
               big_core_max_mhz, cpu_model, tier, year, source, inferred
        FROM {Devices} WHERE {(ids is null ? "TRUE" : $"device_id IN {Sql.Literals(ids)}")} ORDER BY tier, year NULLS LAST, device_id
        """,
        r => new Device(r.GetString(0), S(r, 1), S(r, 2), S(r, 3), S(r, 4), S(r, 5), S(r, 6), I(r, 7), L(r, 8), I(r, 9), I(r, 10),
            I(r, 11), I(r, 12), S(r, 13), r.GetString(14), I(r, 15), r.GetString(16), r.GetBoolean(17)));

    private static readonly string[] Columns =
    [
        "m.run_id", "m.plan_id", "m.model_sha256", "m.device_id", "m.runtime", "m.runtime_version", "m.backend", "m.delegation",
        "m.delegate_kernels", "m.threads", "m.warmup_runs", "m.timed_runs", "m.init_ms", "m.first_inference_ms", "m.warmup_mean_ms",
        "m.mean_ms", "m.std_ms", "m.min_ms", "m.max_ms", "m.p5_ms", "m.p50_ms", "m.p90_ms", "m.p95_ms", "m.p99_ms", "m.peak_memory_mb",
        "m.energy_mj_per_inference", "m.avg_power_mw", "m.power_samples", "m.power_sample_hz", "m.energy_method",
        "m.temp_before_c", "m.temp_after_c", "m.tool", "m.tool_version", "m.provenance", "m.source_file", "m.source_sha256",
        "map_keys(m.conditions)", "map_values(m.conditions)", "m.recorded_at",
    ];

    private static readonly Keyset RunOrder = new("measurements:run", new SortKey("m.run_id"));

    /// <summary>Measurements matching <paramref name="filter"/>, in run id order.</summary>
    public Page<Measurement> Find(MeasurementFilter filter, int first, string? after) =>
        Pages.Read(warehouse, RunOrder, Columns, $"{Measurements} m JOIN {Devices} d USING (device_id)", Where, Parameters(filter), first, after, Read);

    public long Count(MeasurementFilter filter) =>
        warehouse.Scalar<long>($"SELECT count(*) FROM {Measurements} m JOIN {Devices} d USING (device_id) WHERE {Where}", Parameters(filter));

    /// <summary>The first page of the measurements of each model (one statement for a page of models: the DataLoader's batch).</summary>
    public Dictionary<string, Page<Measurement>> ForModels(IReadOnlyCollection<string> models, int first, string? after) =>
        Pages.ReadEach(warehouse, RunOrder, Columns, "m.model_sha256", models, $"{Measurements} m",
            $"m.model_sha256 IN {Sql.Literals(models)}", [], first, after, Read);

    public Dictionary<string, long> CountForModels(IReadOnlyCollection<string> models) =>
        Pages.CountEach(warehouse, "m.model_sha256", models, $"{Measurements} m", $"m.model_sha256 IN {Sql.Literals(models)}", []);

    /// <summary>The first page of the measurements taken on each device.</summary>
    public Dictionary<string, Page<Measurement>> ForDevices(IReadOnlyCollection<string> devices, int first, string? after) =>
        Pages.ReadEach(warehouse, RunOrder, Columns, "m.device_id", devices, $"{Measurements} m",
            $"m.device_id IN {Sql.Literals(devices)}", [], first, after, Read);

    public Dictionary<string, long> CountForDevices(IReadOnlyCollection<string> devices) =>
        Pages.CountEach(warehouse, "m.device_id", devices, $"{Measurements} m", $"m.device_id IN {Sql.Literals(devices)}", []);

    /// <summary>Whether a sha256 names a model shipped in an app or measured.</summary>
    public bool Knows(string sha256) => warehouse.Scalar<bool>(
        $"SELECT EXISTS (SELECT 1 FROM {SqlContext.Main}.{DimModel.Table.Name} WHERE sha256 = ?) OR EXISTS (SELECT 1 FROM {Measurements} WHERE model_sha256 = ?)",
        sha256, sha256);

    /// <summary>A model's measurements grouped by <paramref name="by"/> (within <paramref name="filter"/>), keys in order.</summary>
    public IReadOnlyList<Comparison> Compare(string model, CompareBy by, MeasurementFilter filter) =>
        Compare([model], by, filter)[model].ToList();

    /// <summary>Each model's measurements grouped by <paramref name="by"/>, in one statement for them all.</summary>
    public ILookup<string, Comparison> Compare(IReadOnlyCollection<string> models, CompareBy by, MeasurementFilter filter)
    {
        string key = by switch
        {
            CompareBy.Tier => "d.tier",
            CompareBy.Generation => "CAST(d.year AS VARCHAR)",
            CompareBy.Backend => "m.backend",
            CompareBy.Threads => "CAST(m.threads AS VARCHAR)",
            CompareBy.Runtime => "m.runtime",
            CompareBy.Device => "m.device_id",
            _ => throw new ArgumentOutOfRangeException(nameof(by)),
        };
        return warehouse.Query(
            $"""
            SELECT m.model_sha256, coalesce({key}, 'unknown') AS key, count(DISTINCT m.device_id), count(*), median(mean_ms), median(p50_ms),
                   median(p90_ms), median(p99_ms), median(energy_mj_per_inference), median(peak_memory_mb),
                   list(DISTINCT m.device_id ORDER BY m.device_id)
            FROM {Measurements} m JOIN {Devices} d USING (device_id)
            WHERE m.model_sha256 IN {Sql.Literals(models)} AND {Where}
            GROUP BY 1, 2 ORDER BY 1, {(by is CompareBy.Generation or CompareBy.Threads ? "try_cast(key AS INTEGER) NULLS LAST, key" : "key")}
            """,
            r => (Model: r.GetString(0), Group: new Comparison(r.GetString(1), r.GetInt64(2), r.GetInt64(3), D(r, 4), D(r, 5), D(r, 6), D(r, 7),
                D(r, 8), D(r, 9), r.GetFieldValue<List<string>>(10))),
            Parameters(filter with { Model = null })).ToLookup(x => x.Model, x => x.Group);
    }

    /// <summary>Per device (and runtime and backend) where both were measured: a model against a variant of it.</summary>
    public IReadOnlyList<VariantSaving> Savings(string model, string variant) => warehouse.Query(
        $"""
        WITH a AS (SELECT device_id, runtime, backend, median(p50_ms) AS p50, median(energy_mj_per_inference) AS energy
                   FROM {Measurements} WHERE model_sha256 = ? GROUP BY ALL),
        b AS (SELECT device_id, runtime, backend, median(p50_ms) AS p50, median(energy_mj_per_inference) AS energy
              FROM {Measurements} WHERE model_sha256 = ? GROUP BY ALL)
        SELECT a.device_id, d.tier, d.year, a.runtime, a.backend, a.p50, b.p50, 1 - b.p50 / a.p50, a.energy, b.energy,
               1 - b.energy / a.energy
        FROM a JOIN b USING (device_id, runtime, backend) JOIN {Devices} d USING (device_id)
        ORDER BY d.tier, d.year NULLS LAST, a.device_id
        """,
        r => new VariantSaving(r.GetString(0), r.GetString(1), I(r, 2), r.GetString(3), r.GetString(4), D(r, 5), D(r, 6), D(r, 7),
            D(r, 8), D(r, 9), D(r, 10)),
        model, variant);

    private const string Where = """
        (? IS NULL OR m.model_sha256 = ?) AND (? IS NULL OR m.device_id = ?) AND (? IS NULL OR d.tier = ?)
        AND (? IS NULL OR m.runtime = ?) AND (? IS NULL OR m.backend = ?) AND (? IS NULL OR m.threads = ?)
        AND (? IS NULL OR d.family = ?) AND (? IS NULL OR d.year = ?)
        """;

    private static object?[] Parameters(MeasurementFilter f) =>
        [f.Model, f.Model, f.Device, f.Device, f.Tier, f.Tier, f.Runtime, f.Runtime, f.Backend, f.Backend, f.Threads, f.Threads,
         f.Family, f.Family, f.Year, f.Year];

    private static Measurement Read(DuckDB.NET.Data.DuckDBDataReader r) => new(
        r.GetString(0), S(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), S(r, 5), r.GetString(6), S(r, 7), I(r, 8),
        I(r, 9), I(r, 10), I(r, 11), D(r, 12), D(r, 13), D(r, 14), D(r, 15), D(r, 16), D(r, 17), D(r, 18), D(r, 19), D(r, 20),
        D(r, 21), D(r, 22), D(r, 23), D(r, 24), D(r, 25), D(r, 26), I(r, 27), D(r, 28), S(r, 29), D(r, 30), D(r, 31),
        r.GetString(32), S(r, 33), r.GetString(34), S(r, 35), S(r, 36),
        r.IsDBNull(37) ? new Dictionary<string, string>()
            : r.GetFieldValue<List<string>>(37).Zip(r.GetFieldValue<List<string>>(38)).ToDictionary(p => p.First, p => p.Second),
        r.GetFieldValue<DateTimeOffset>(39));
}
