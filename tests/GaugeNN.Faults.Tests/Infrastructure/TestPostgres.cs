using GaugeNN.Application;
using GaugeNN.Warehouse.Postgres;
using Npgsql;

namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>
/// The test PostgreSQL shared with the other suites (<c>GAUGENN_PG</c>, else the private cluster in
/// <c>$TMP/gaugenn-test-pg</c>). Every scenario gets a database of its own: the CLI always uses the default schema,
/// and the event feed's gap rule looks at the open transactions of its own database only, so scenarios (and the
/// other suites running meanwhile) never see each other.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(() =>
        DataFolder.SharedPostgres ?? new PrivateCluster(Path.Combine(Path.GetTempPath(), "gaugenn-test-pg")).EnsureRunning());

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        string name = new string($"faults_{purpose}_{Guid.NewGuid():N}"[..40].Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
        await using (var connection = new NpgsqlConnection(Server.Value))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what still uses it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server.Value);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
