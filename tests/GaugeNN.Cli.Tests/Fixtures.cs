using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GaugeNN.Cli.Tests;

/// <summary>
/// One PostgreSQL server for the CLI tests: <c>GAUGENN_PG</c> when set, else the private cluster the integration tests
/// use (<c>$TMP/gaugenn-test-pg</c>), started by the real <c>gaugenn db start --json</c>. Each class gets a database
/// of its own, so its gaugenn processes see only their own events.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("GAUGENN_PG") is { Length: > 0 } given) return given;
        var started = await Gaugenn.RunAsync(["db", "start", "--json"],
            new Dictionary<string, string?> { ["GAUGENN_HOME"] = Path.Combine(Path.GetTempPath(), "gaugenn-test-pg") });
        Assert.True(started.ExitCode == 0, started.ToString());
        return started.Json()["connectionString"]!.GetValue<string>();
    }

    /// <summary>A new empty database; its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        var server = new NpgsqlConnectionStringBuilder(await Server.Value);
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(await Server.Value);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A data folder (GAUGENN_HOME) and a database (GAUGENN_PG) of its own, for one test class's gaugenn processes.</summary>
public class Home : IAsyncLifetime
{
    private readonly string _database = "gaugenn_cli_" + Guid.NewGuid().ToString("N")[..12];

    public string Root { get; } = Directory.CreateTempSubdirectory("gaugenn-cli-").FullName;
    public string ConnectionString { get; private set; } = "";

    public IReadOnlyDictionary<string, string?> Env => new Dictionary<string, string?>
    {
        ["GAUGENN_HOME"] = Path.Combine(Root, "home"),
        ["GAUGENN_PG"] = ConnectionString,
    };

    public Task<Outcome> RunAsync(params string[] args) => Gaugenn.RunAsync(args, Env);

    public RunningGaugenn Start(params string[] args) => Gaugenn.Start(args, Env);

    public virtual async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync(_database);

    public virtual async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(_database);
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>A loopback port nothing listens on (as of the call).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
