namespace GaugeNN.Warehouse;

/// <summary>
/// The data folder (<c>GAUGENN_HOME</c>, default <c>./.gaugenn</c>): the private PostgreSQL cluster, the DuckDB file,
/// the content-addressed model blobs.
/// </summary>
public sealed record GaugeHome(string Root)
{
    public const string HomeVariable = "GAUGENN_HOME";
    public const string PostgresVariable = "GAUGENN_PG";

    public static GaugeHome FromEnvironment() =>
        new(Path.GetFullPath(Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home ? home : ".gaugenn"));

    public string DuckDbFile => Path.Combine(Root, "warehouse.duckdb");
    public string ModelBlobs => Path.Combine(Root, "models");

    /// <summary><c>GAUGENN_PG</c> when set, else the private cluster (started if needed).</summary>
    public string PostgresConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : new Postgres.PrivateCluster(Root).EnsureRunning();
}
