namespace GaugeNN.Warehouse.Projections;

/// <summary>What a derived table is recomputed by: the kind of key a batch of events touches (see <see cref="Changes"/>).</summary>
public enum Scope
{
    /// <summary>An app in a snapshot: (snapshot, package).</summary>
    App,
    Snapshot,
    Package,
    Model,

    /// <summary>A pair of snapshots, whole or for some packages: (from_snapshot, to_snapshot[, package]).</summary>
    Pair,
    Device,
    Run,
}

/// <summary>
/// A read-model table recomputed from the event tables (and earlier derived tables) by <see cref="Select"/>, only for
/// the keys a batch of events changed (its <see cref="Scope"/>), or whole on a rebuild — the same SQL either way, and
/// the same SQL again, bounded by a sequence number, to answer "as of" an earlier point of the log.
/// </summary>
public sealed record DerivedTable(
    string Name, string Meaning, Scope Scope, IReadOnlyList<Column> Columns, Func<SqlContext, string> Select,
    string? PartitionColumn = null)
{
    /// <summary>The columns that identify the scope's key in this table.</summary>
    public IReadOnlyList<string> KeyColumns => Scope switch
    {
        Scope.App => ["snapshot", "package"],
        Scope.Snapshot => ["snapshot"],
        Scope.Package => ["package"],
        Scope.Model => ["sha256"],
        Scope.Pair => ["from_snapshot", "to_snapshot", "package"],
        Scope.Device => ["device_id"],
        Scope.Run => ["run_id"],
        _ => throw new ArgumentOutOfRangeException(nameof(Scope)),
    };

    public string Ddl(string schema) =>
        $"CREATE TABLE IF NOT EXISTS {schema}.{Name}({string.Join(", ", Columns.Select(c => $"\"{c.Name}\" {c.Type}"))})";
}

/// <summary>
/// Where a derived table's SELECT reads from and which rows it computes: event tables up to <see cref="AsOf"/>; the
/// derived tables of <see cref="LocalTables"/> in <see cref="Schema"/> (all of them when null), the others in
/// <see cref="Upstream"/>; and either every key (<see cref="Full"/>) or those in the <c>dirty_*</c> temp tables.
/// <see cref="PairsOverride"/> replaces the consecutive snapshot pairs (churn of any two snapshots).
/// </summary>
public sealed record SqlContext(
    long AsOf, string Schema, bool Full, IReadOnlySet<string>? LocalTables = null, string? PairsOverride = null, string Upstream = "main")
{
    public const string Main = "main";

    public static SqlContext Current(bool full) => new(long.MaxValue, Main, full);

    /// <summary>An event table's rows up to <see cref="AsOf"/>.</summary>
    public string Events(IEventTable table) =>
        AsOf == long.MaxValue ? $"main.{table.Name}" : $"(SELECT * FROM main.{table.Name} WHERE seq <= {AsOf})";

    public string Table(DerivedTable table) =>
        LocalTables is null || LocalTables.Contains(table.Name) ? $"{Schema}.{table.Name}" : $"{Upstream}.{table.Name}";

    /// <summary>A predicate: the row's key (given as column expressions in the scope's key order) is dirty.</summary>
    public string In(Scope scope, params string[] key)
    {
        if (Full) return "TRUE";
        return scope switch
        {
            Scope.App => $"({key[0]}, {key[1]}) IN (SELECT snapshot, package FROM dirty_app)",
            Scope.Snapshot => $"{key[0]} IN (SELECT snapshot FROM dirty_snapshot)",
            Scope.Package => $"{key[0]} IN (SELECT package FROM dirty_package)",
            Scope.Model => $"{key[0]} IN (SELECT sha256 FROM dirty_model)",
            Scope.Pair => $"(({key[0]}, {key[1]}) IN (SELECT from_snapshot, to_snapshot FROM dirty_pair)" +
                          $" OR ({key[0]}, {key[1]}, {key[2]}) IN (SELECT from_snapshot, to_snapshot, package FROM dirty_pair_app))",
            Scope.Device => $"{key[0]} IN (SELECT device_id FROM dirty_device)",
            Scope.Run => $"{key[0]} IN (SELECT run_id FROM dirty_run)",
            _ => throw new ArgumentOutOfRangeException(nameof(scope)),
        };
    }

    /// <summary>Consecutive snapshots in capture order (date, then id), or the override.</summary>
    public string Pairs(DerivedTable dimSnapshot) => PairsOverride ?? $"""
        SELECT snapshot AS from_snapshot, next_snapshot AS to_snapshot
        FROM (SELECT snapshot, lead(snapshot) OVER (ORDER BY captured_at NULLS LAST, snapshot) AS next_snapshot
              FROM {Table(dimSnapshot)})
        WHERE next_snapshot IS NOT NULL
        """;
}
