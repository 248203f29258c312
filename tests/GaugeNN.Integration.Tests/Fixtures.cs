using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaugeNN.Application;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using GaugeNN.Tests.Shared;
using GaugeNN.Warehouse.Postgres;
using GaugeNN.Warehouse.Projections;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Repository paths: the project's own copies of the samples and fixtures.</summary>
public static class Repo
{
    public static string Root => RepositoryRoot.Path;
    public static string Snapshot(string id) => RepositoryRoot.Snapshot(id);
    public static JsonNode Expected { get; } = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Fixture("expected.json")))!;
}

/// <summary>
/// One real PostgreSQL for the whole test run: <c>GAUGENN_PG</c> when set, else the tool's own private cluster in a
/// test data folder. Each test class gets its own Marten schema, so classes never see each other's events.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<string> Connection = new(() =>
        DataFolder.SharedPostgres is { } cs
            ? cs
            : new PrivateCluster(Path.Combine(Path.GetTempPath(), "gaugenn-test-pg")).EnsureRunning());

    public static string ConnectionString => Connection.Value;
}

/// <summary>A fresh data folder + event store schema for one test, used through the application's use cases.</summary>
public sealed class Workspace : IAsyncDisposable
{
    public Workspace(string? schema = null, string? connection = null)
    {
        Root = Directory.CreateTempSubdirectory("gaugenn-test-").FullName;
        Home = new DataFolder(Root);
        Schema = schema ?? "t_" + Guid.NewGuid().ToString("N")[..12];
        Gauge = Gauge.Open(Home, connection ?? PostgresServer.ConnectionString, Schema);
    }

    public string Root { get; }
    public DataFolder Home { get; }
    public string Schema { get; }
    public Gauge Gauge { get; }
    public DocumentStore Store => Gauge.Store;

    public Task<IngestReport> IngestAsync(string snapshot, string? directory = null, DateOnly? capturedAt = null) =>
        new IngestSnapshot(Gauge).RunAsync(new IngestRequest(snapshot, directory ?? Repo.Snapshot(snapshot), CapturedAt: capturedAt,
            Options: new GaugeNN.Ingest.IngestOptions { Parallelism = 2 }), null, CancellationToken.None);

    public Task<AnalysisReport> ReanalyseAsync() => new ReanalyseModels(Gauge).RunAsync(null, CancellationToken.None);

    /// <summary>A private copy of a sample snapshot folder, to damage or trim; <paramref name="skip"/> names files to leave out.</summary>
    public string CopySnapshot(string snapshot, Func<string, bool>? skip = null)
    {
        string folder = Path.Combine(Root, "copy-" + snapshot);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Repo.Snapshot(snapshot)).Where(f => skip?.Invoke(Path.GetFileName(f)) != true))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    public Task<CatchUpReport> ProjectAsync(bool rebuild = false) =>
        new CatchUpWarehouse(Gauge).RunAsync(rebuild, null, CancellationToken.None);

    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

    public async Task<T> WithEventsAsync<T>(Func<IQuerySession, Task<T>> read)
    {
        await using var session = Store.QuerySession();
        return await read(session);
    }

    /// <summary>Starts the real warehouse host on a free loopback port, caught up with every event committed so far.</summary>
    public async Task<(WarehouseHost Host, HttpClient Http)> StartHostAsync()
    {
        var host = await WarehouseHost.StartAsync(Gauge, new WarehouseHostOptions(0), CancellationToken.None);
        await host.CaughtUpAsync(CancellationToken.None);
        return (host, new HttpClient { BaseAddress = new Uri(host.Url) });
    }

    /// <summary>Starts the real host and posts one query.</summary>
    public async Task<JsonNode> GraphQLAsync(string query)
    {
        var (host, http) = await StartHostAsync();
        await using (host)
        using (http)
            return await PostAsync(http, query);
    }

    /// <summary>Starts the real host and posts one query; the whole answer, errors included.</summary>
    public async Task<JsonNode> GraphQLBodyAsync(string query)
    {
        var (host, http) = await StartHostAsync();
        await using (host)
        using (http)
            return JsonNode.Parse(await (await http.PostAsJsonAsync("/graphql", new { query })).Content.ReadAsStringAsync())!;
    }

    /// <summary>The nodes of a connection's page, in order.</summary>
    public static JsonArray Nodes(JsonNode? connection) =>
        new(connection!["edges"]!.AsArray().Select(e => e!["node"]!.DeepClone()).ToArray());

    public static async Task<JsonNode> PostAsync(HttpClient http, string query)
    {
        var response = await http.PostAsJsonAsync("/graphql", new { query });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }

    /// <summary>Every row of every warehouse table, in a canonical order, as text.</summary>
    public Dictionary<string, List<string>> DumpTables()
    {
        using var warehouse = DuckDbWarehouse.Open(Home.DuckDbFile, readOnly: true);
        return WarehouseSchema.Tables.ToDictionary(t => t.Name, t => warehouse.Query(
            $"SELECT CAST(to_json(x) AS VARCHAR) FROM (SELECT * FROM {t.Name}) x ORDER BY ALL", r => r.GetString(0)));
    }

    public async ValueTask DisposeAsync()
    {
        await using (var session = Store.LightweightSession())
        {
            session.QueueSqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
            await session.SaveChangesAsync();
        }
        Gauge.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
