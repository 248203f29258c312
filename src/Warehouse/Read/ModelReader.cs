using System.Text.Json;
using GaugeNN.Events;
using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Read;

public sealed record ModelSummary(
    string Sha256, string Format, long Bytes, bool Encrypted, long AppCount, long FileCount, string FirstSnapshot,
    DateOnly? FirstSeenAt, string LastSnapshot, int? AnalyserVersion, long? Params, long? Macs, long? MacsUnknownNodes,
    long? Flops, bool? Quantized, int? Layers, IReadOnlyList<NameCount> Ops, IReadOnlyList<NameCount> WeightDtypes,
    IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs, string? ArchFingerprint, string? Task,
    string? TaskRule, string? DissectionError, IReadOnlyList<UnknownMacNode> MacsUnknown,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>Conditions on models; null fields do not filter, ranges are inclusive.</summary>
public sealed record ModelFilter(
    string? Format = null, string? Task = null, bool? Quantized = null, bool? Encrypted = null, string? ArchFingerprint = null,
    LongRange? Params = null, LongRange? Macs = null, LongRange? Bytes = null, LongRange? AppCount = null, string? Op = null,
    string? Snapshot = null);

public enum ModelOrderField
{
    Sha256,
    AppCount,
    Params,
    Macs,
    Bytes,
    FirstSeen,
}

public sealed record ModelOrder(ModelOrderField Field = ModelOrderField.Sha256, bool Descending = false);

/// <summary>What a distribution is taken of.</summary>
public enum ModelMetric
{
    Bytes,
    Params,
    Macs,
    AppCount,
}

public sealed record DistributionBin(double From, double To, long Models);

/// <summary>How the identified unique models (of a snapshot, or all) spread over a metric.</summary>
public sealed record Distribution(ModelMetric Of, string? Snapshot, long Models, long WithValue, double? Min, double? Max,
    double? Median, IReadOnlyList<DistributionBin> Bins);

/// <summary>Unique models (<c>dim_model</c>): filtered and ordered pages, lookups by sha256, relatives, distributions.</summary>
public sealed class ModelReader(ReaderLease lease, string schema = SqlContext.Main)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    public ModelReader At(string other) => new(lease, other);

    private string Models => $"{schema}.{DimModel.Table.Name} d";

    // Lists and structs come out of DuckDB as JSON with the tables' snake_case field names.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly string[] Columns =
    [
        "d.sha256", "d.format", "d.bytes", "d.encrypted", "d.app_count", "d.file_count", "d.first_snapshot", "d.first_seen",
        "d.last_snapshot", "d.analyser_version", "d.params", "d.macs", "d.macs_unknown_nodes", "d.flops", "d.quantized", "d.layers",
        "CAST(to_json(d.ops) AS VARCHAR)", "CAST(to_json(d.weight_dtypes) AS VARCHAR)", "CAST(to_json(d.inputs) AS VARCHAR)",
        "CAST(to_json(d.outputs) AS VARCHAR)", "d.arch_fingerprint", "d.task", "d.task_rule", "d.dissection_error",
        "CAST(to_json(d.macs_unknown) AS VARCHAR)", "CAST(to_json(d.metadata) AS VARCHAR)",
    ];

    private static ModelSummary Read(DuckDB.NET.Data.DuckDBDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetBoolean(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6),
        r.IsDBNull(7) ? null : DuckDbWarehouse.DateOf(r.GetValue(7)), r.GetString(8), Sql.I(r, 9), Sql.L(r, 10), Sql.L(r, 11),
        Sql.L(r, 12), Sql.L(r, 13), Sql.B(r, 14), Sql.I(r, 15), List<NameCount>(r, 16), List<NameCount>(r, 17),
        List<TensorSpec>(r, 18), List<TensorSpec>(r, 19), Sql.S(r, 20), Sql.S(r, 21), Sql.S(r, 22), Sql.S(r, 23),
        List<UnknownMacNode>(r, 24), r.IsDBNull(25) ? new Dictionary<string, string>() : Parse<Dictionary<string, string>>(r.GetString(25)));

    public static Keyset Order(ModelOrder order)
    {
        bool desc = order.Descending;
        SortKey? key = order.Field switch
        {
            ModelOrderField.Sha256 => null,
            ModelOrderField.AppCount => new("d.app_count", desc),
            ModelOrderField.Params => Pages.NullsLast("d.params", desc),
            ModelOrderField.Macs => Pages.NullsLast("d.macs", desc),
            ModelOrderField.Bytes => new("d.bytes", desc),
            ModelOrderField.FirstSeen => new($"coalesce(strftime(d.first_seen, '%Y-%m-%d'), '{(desc ? "0000-00-00" : "9999-12-31")}')", desc),
            _ => throw new ArgumentOutOfRangeException(nameof(order)),
        };
        string name = $"models:{order.Field}:{(desc ? "desc" : "asc")}";
        return key is null ? new Keyset(name, new SortKey("d.sha256", desc)) : new Keyset(name, key, new SortKey("d.sha256"));
    }

    private (string Sql, List<object?> Parameters) Where(ModelFilter filter)
    {
        var conditions = new List<string>();
        var parameters = new List<object?>();
        void Add(string condition, object? value)
        {
            conditions.Add(condition);
            parameters.Add(value);
        }
        void Range(string column, LongRange? range)
        {
            if (range?.Min is { } min) Add($"{column} >= ?", min);
            if (range?.Max is { } max) Add($"{column} <= ?", max);
        }
        if (filter.Format is { } format) Add("d.format = ?", format.ToLowerInvariant());
        if (filter.Task is { } task) Add("d.task = ?", task);
        if (filter.Quantized is { } quantized) Add("d.quantized = ?", quantized);
        if (filter.Encrypted is { } encrypted) Add("d.encrypted = ?", encrypted);
        if (filter.ArchFingerprint is { } fingerprint) Add("d.arch_fingerprint = ?", fingerprint);
        Range("d.params", filter.Params);
        Range("d.macs", filter.Macs);
        Range("d.bytes", filter.Bytes);
        Range("d.app_count", filter.AppCount);
        if (filter.Op is { } op) Add("list_contains(list_transform(d.ops, o -> lower(o.name)), lower(?))", op);
        if (filter.Snapshot is { } snapshot) Add($"d.sha256 IN (SELECT sha256 FROM {schema}.{FactAppModel.Table.Name} WHERE snapshot = ?)", snapshot);
        return (conditions.Count == 0 ? "TRUE" : string.Join(" AND ", conditions), parameters);
    }

    public Page<ModelSummary> Find(ModelFilter filter, ModelOrder order, int first, string? after)
    {
        var (where, parameters) = Where(filter);
        return Pages.Read(warehouse, Order(order), Columns, Models, where, parameters, first, after, Read);
    }

    public long Count(ModelFilter filter)
    {
        var (where, parameters) = Where(filter);
        return warehouse.Scalar<long>($"SELECT count(*) FROM {Models} WHERE {where}", [.. parameters]);
    }

    public Dictionary<string, ModelSummary> BySha256(IReadOnlyCollection<string> sha256s) =>
        warehouse.Query($"SELECT {string.Join(", ", Columns)} FROM {Models} WHERE d.sha256 IN {Sql.Literals(sha256s)}", Read)
            .ToDictionary(m => m.Sha256);

    private static readonly Keyset RelativesOrder = Order(new ModelOrder(ModelOrderField.AppCount, Descending: true));

    /// <summary>
    /// The first page of the models of each architecture fingerprint, most-shipped first, with one row more than a
    /// page: the model asking is among them and is left out by its caller.
    /// </summary>
    public Dictionary<string, Page<ModelSummary>> OfArchitectures(IReadOnlyCollection<string> fingerprints, int first, string? after) =>
        Pages.ReadEach(warehouse, RelativesOrder, Columns, "d.arch_fingerprint", fingerprints, Models,
            $"d.arch_fingerprint IN {Sql.Literals(fingerprints)}", [], first, after, Read, extra: 1);

    public Dictionary<string, long> CountOfArchitectures(IReadOnlyCollection<string> fingerprints) =>
        Pages.CountEach(warehouse, "d.arch_fingerprint", fingerprints, Models, $"d.arch_fingerprint IN {Sql.Literals(fingerprints)}", []);

    /// <summary>
    /// The distribution of <paramref name="of"/> over identified unique models (shipped in <paramref name="snapshot"/>
    /// when given): zeros in a bin of their own, then <paramref name="bins"/> bins equally wide in log10 from the
    /// smallest positive value to the largest (from inclusive, to exclusive, the last one inclusive).
    /// </summary>
    public Distribution Distribution(ModelMetric of, string? snapshot, int bins)
    {
        string column = of switch
        {
            ModelMetric.Bytes => "d.bytes",
            ModelMetric.Params => "d.params",
            ModelMetric.Macs => "d.macs",
            ModelMetric.AppCount => "d.app_count",
            _ => throw new ArgumentOutOfRangeException(nameof(of)),
        };
        string shipped = snapshot is null ? "TRUE" : $"d.sha256 IN (SELECT sha256 FROM {schema}.{FactAppModel.Table.Name} WHERE snapshot = ? AND NOT encrypted)";
        var values = warehouse.Query($"SELECT {column} FROM {Models} WHERE NOT d.encrypted AND {shipped} ORDER BY 1 NULLS LAST",
            r => Sql.L(r, 0), snapshot is null ? [] : [snapshot]);
        var known = values.OfType<long>().ToList();
        var result = new List<DistributionBin>();
        long zeros = known.Count(v => v <= 0);
        if (zeros > 0) result.Add(new DistributionBin(0, 0, zeros));
        var positive = known.Where(v => v > 0).ToList();
        if (positive.Count > 0)
        {
            double low = Math.Log10(positive[0]), high = Math.Log10(positive[^1]);
            double width = high > low ? (high - low) / bins : 1;
            int count = high > low ? bins : 1;
            var counts = new long[count];
            foreach (var v in positive) counts[Math.Min(count - 1, (int)((Math.Log10(v) - low) / width))]++;
            for (int i = 0; i < count; i++)
                result.Add(new DistributionBin(Math.Pow(10, low + i * width), i == count - 1 ? positive[^1] : Math.Pow(10, low + (i + 1) * width), counts[i]));
        }
        double? median = known.Count == 0 ? null
            : known.Count % 2 == 1 ? known[known.Count / 2] : (known[known.Count / 2 - 1] + (double)known[known.Count / 2]) / 2;
        return new Distribution(of, snapshot, values.Count, known.Count, known.Count == 0 ? null : known[0],
            known.Count == 0 ? null : known[^1], median, result);
    }

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    private static IReadOnlyList<T> List<T>(DuckDB.NET.Data.DuckDBDataReader r, int i) => r.IsDBNull(i) ? [] : Parse<List<T>>(r.GetString(i));
}
