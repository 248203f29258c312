using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Read;

public sealed record AppInSnapshot(
    string Package, string Snapshot, bool Listed, bool Scanned, string? Title, string? Category, string? Installs,
    long? MinInstalls, double? Rating, int? Rank, long? VersionCode, string? VersionName, int? MinSdk, int? TargetSdk,
    long ModelFiles, long EncryptedModelFiles)
{
    /// <summary>Ships at least one model file, encrypted ones included (the <c>dlApps</c> definition).</summary>
    public bool Dl => ModelFiles + EncryptedModelFiles > 0;
}

public sealed record AppModelFile(string Snapshot, string Package, string Path, string Sha256, string Format, long Bytes,
    bool Encrypted, double Entropy, string Storage, IReadOnlyList<string> Evidence);

public sealed record FrameworkUse(string Name, IReadOnlyList<string> Evidence);

/// <summary>Conditions on the apps of a snapshot; null fields do not filter.</summary>
public sealed record AppFilter(string? Category = null, LongRange? Installs = null, bool? Dl = null);

public enum AppOrderField
{
    Package,
    Installs,
    Rating,
    Rank,
    ModelFiles,
}

public sealed record AppOrder(AppOrderField Field = AppOrderField.Package, bool Descending = false);

/// <summary>Apps as they are in snapshots (<c>fact_app_snapshot</c>), what they ship and their history.</summary>
public sealed class AppReader(ReaderLease lease, string schema = SqlContext.Main)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    public AppReader At(string other) => new(lease, other);

    private string Apps => $"{schema}.{FactAppSnapshot.Table.Name}";
    private string Snapshots => $"{schema}.{DimSnapshot.Table.Name}";
    private string Files => $"{schema}.{FactAppModel.Table.Name}";

    // The install bucket's lower bound: its digits ("10,000,000+" → 10000000); null when it has none.
    private const string MinInstalls = "TRY_CAST(nullif(regexp_replace(a.installs, '[^0-9]', '', 'g'), '') AS BIGINT)";

    private static readonly string[] Columns =
    [
        "a.package", "a.snapshot", "a.listed", "a.scanned", "a.title", "a.category", "a.installs", MinInstalls, "a.rating",
        "a.rank", "a.version_code", "a.version_name", "a.min_sdk", "a.target_sdk", "a.model_files", "a.encrypted_model_files",
    ];

    private static AppInSnapshot Read(DuckDB.NET.Data.DuckDBDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3), Sql.S(r, 4), Sql.S(r, 5), Sql.S(r, 6), Sql.L(r, 7),
        Sql.D(r, 8), Sql.I(r, 9), Sql.L(r, 10), Sql.S(r, 11), Sql.I(r, 12), Sql.I(r, 13), Sql.Long(r, 14), Sql.Long(r, 15));

    public static Keyset Order(AppOrder order)
    {
        bool desc = order.Descending;
        SortKey key = order.Field switch
        {
            AppOrderField.Package => new("a.package", desc),
            AppOrderField.Installs => Pages.NullsLast(MinInstalls, desc),
            // Ratings have a decimal or two: thousandths keep them exact as integer keys.
            AppOrderField.Rating => Pages.NullsLast("round(a.rating * 1000)", desc),
            AppOrderField.Rank => Pages.NullsLast("a.rank", desc),
            AppOrderField.ModelFiles => new("a.model_files", desc),
            _ => throw new ArgumentOutOfRangeException(nameof(order)),
        };
        string name = $"apps:{order.Field}:{(desc ? "desc" : "asc")}";
        return order.Field == AppOrderField.Package ? new Keyset(name, key) : new Keyset(name, key, new SortKey("a.package"));
    }

    private static (string Sql, List<object?> Parameters) Where(AppFilter filter)
    {
        var conditions = new List<string>();
        var parameters = new List<object?>();
        if (filter.Category is { } category)
        {
            conditions.Add("a.category = ?");
            parameters.Add(category);
        }
        if (filter.Installs?.Min is { } min)
        {
            conditions.Add($"{MinInstalls} >= ?");
            parameters.Add(min);
        }
        if (filter.Installs?.Max is { } max)
        {
            conditions.Add($"{MinInstalls} <= ?");
            parameters.Add(max);
        }
        if (filter.Dl is { } dl) conditions.Add(dl ? "a.model_files + a.encrypted_model_files > 0" : "a.model_files + a.encrypted_model_files = 0");
        return (conditions.Count == 0 ? "TRUE" : string.Join(" AND ", conditions), parameters);
    }

    /// <summary>The first page of each snapshot's apps, filtered and ordered (one statement for every snapshot asked).</summary>
    public Dictionary<string, Page<AppInSnapshot>> InSnapshots(IReadOnlyCollection<string> snapshots, AppFilter filter, AppOrder order, int first, string? after)
    {
        var (where, parameters) = Where(filter);
        return Pages.ReadEach(warehouse, Order(order), Columns, "a.snapshot", snapshots, $"{Apps} a",
            $"a.snapshot IN {Sql.Literals(snapshots)} AND {where}", parameters, first, after, Read);
    }

    public Dictionary<string, long> CountInSnapshots(IReadOnlyCollection<string> snapshots, AppFilter filter)
    {
        var (where, parameters) = Where(filter);
        return Pages.CountEach(warehouse, "a.snapshot", snapshots, $"{Apps} a", $"a.snapshot IN {Sql.Literals(snapshots)} AND {where}", parameters);
    }

    private static readonly Keyset ShippingOrder = new("apps:shipping", [.. Pages.SnapshotOrder("s"), new SortKey("a.package")]);

    private static string Shipping(IReadOnlyCollection<string> models, string? snapshot, string schema) => $"""
        (SELECT DISTINCT sha256, snapshot, package FROM {schema}.{FactAppModel.Table.Name}
         WHERE sha256 IN {Sql.Literals(models)}{(snapshot is null ? "" : $" AND snapshot = {Sql.Literal(snapshot)}")}) m
        JOIN {schema}.{FactAppSnapshot.Table.Name} a USING (snapshot, package) JOIN {schema}.{DimSnapshot.Table.Name} s USING (snapshot)
        """;

    /// <summary>The first page of the apps shipping each model (one node per app per snapshot), in capture then package order.</summary>
    public Dictionary<string, Page<AppInSnapshot>> Shipping(IReadOnlyCollection<string> models, string? snapshot, int first, string? after) =>
        Pages.ReadEach(warehouse, ShippingOrder, Columns, "m.sha256", models, Shipping(models, snapshot, schema), "TRUE", [], first, after, Read);

    public Dictionary<string, long> CountShipping(IReadOnlyCollection<string> models, string? snapshot) =>
        Pages.CountEach(warehouse, "m.sha256", models, Shipping(models, snapshot, schema), "TRUE", []);

    /// <summary>Each package in every snapshot it is in, in capture order.</summary>
    public ILookup<string, AppInSnapshot> History(IReadOnlyCollection<string> packages) => warehouse.Query(
        $"""
        SELECT {string.Join(", ", Columns)} FROM {Apps} a JOIN {Snapshots} s USING (snapshot)
        WHERE a.package IN {Sql.Literals(packages)}
        ORDER BY a.package, {string.Join(", ", Pages.SnapshotOrder("s").Select(k => k.Expression))}
        """,
        Read).ToLookup(a => a.Package);

    /// <summary>Model files of each (snapshot, package), in path order.</summary>
    public ILookup<(string Snapshot, string Package), AppModelFile> ModelFiles(IReadOnlyCollection<(string Snapshot, string Package)> apps) => warehouse.Query(
        $"""
        SELECT m.snapshot, m.package, m.path, m.sha256, m.format, m.bytes, m.encrypted, m.entropy, m.storage, m.evidence
        FROM {Files} m JOIN {Sql.AppKeys(apps, "k")} USING (snapshot, package) ORDER BY m.snapshot, m.package, m.path
        """,
        r => new AppModelFile(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
            r.GetBoolean(6), r.GetDouble(7), r.GetString(8), r.IsDBNull(9) ? [] : r.GetFieldValue<List<string>>(9)))
        .ToLookup(f => (f.Snapshot, f.Package));

    /// <summary>Frameworks of each (snapshot, package) with their kinds of evidence.</summary>
    public ILookup<(string Snapshot, string Package), FrameworkUse> Frameworks(IReadOnlyCollection<(string Snapshot, string Package)> apps) => warehouse.Query(
        $"""
        SELECT e.snapshot, e.package, e.framework, list(DISTINCT e.kind ORDER BY e.kind)
        FROM {schema}.{FactFrameworkEvidence.Table.Name} e JOIN {Sql.AppKeys(apps, "k")} USING (snapshot, package)
        GROUP BY ALL ORDER BY e.snapshot, e.package, e.framework
        """,
        r => (Key: (r.GetString(0), r.GetString(1)), Use: new FrameworkUse(r.GetString(2), r.GetFieldValue<List<string>>(3))))
        .ToLookup(x => x.Key, x => x.Use);
}
