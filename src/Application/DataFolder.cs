using GaugeNN.Warehouse.Postgres;

namespace GaugeNN.Application;

/// <summary>
/// The data folder (<c>GAUGENN_HOME</c>, default <c>./.gaugenn</c>): the private PostgreSQL cluster (<c>pg/</c>), the
/// DuckDB warehouse, the content-addressed model blobs (<c>models/</c>), the running host's address (<c>host.json</c>)
/// and the runners gaugeNN installs (<c>runners/</c>).
/// </summary>
public sealed record DataFolder(string Root)
{
    public const string HomeVariable = "GAUGENN_HOME";
    public const string PostgresVariable = "GAUGENN_PG";

    public static DataFolder FromEnvironment() =>
        new(Path.GetFullPath(Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home ? home : ".gaugenn"));

    public string DuckDbFile => Path.Combine(Root, "warehouse.duckdb");
    public string ModelBlobs => Path.Combine(Root, "models");
    public string HostFile => Path.Combine(Root, "host.json");

    /// <summary>Runners gaugeNN installs for itself (the host TFLite runner and its npm packages).</summary>
    public string Runners => Path.Combine(Root, "runners");

    /// <summary>The PostgreSQL server given by <c>GAUGENN_PG</c>, if any.</summary>
    public static string? SharedPostgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public PrivateCluster Cluster => new(Root);

    /// <summary><c>GAUGENN_PG</c> when set, else the private cluster (started if needed).</summary>
    public string PostgresConnectionString() => SharedPostgres ?? Cluster.EnsureRunning();
}
