using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// One real host over the fixture corpus (both snapshots, dissected) with two imported benchmark runs of a shipped
/// model on two devices, shared by the read-only API tests of a class.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string FacecamModel = "671dd2f9ed11a78436fc21cc42357a803dfc6f73e9fb86541be942d5716c2dce";

    public Workspace Workspace { get; } = new();
    public WarehouseHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Workspace.IngestAsync("2020-02");
        await Workspace.IngestAsync("2021-04");
        await Workspace.ReanalyseAsync();
        var import = new ImportResults(Workspace.Gauge);
        foreach (var device in new[] { "SM-G991B", "SM-A125F" })
            await import.RunAsync(new ImportRequest(ImportKind.BenchmarkLog, RepoFixture("tflite-gpu-percentiles.log"), device, FacecamModel), CancellationToken.None);
        (Host, Http) = await Workspace.StartHostAsync();
    }

    private static string RepoFixture(string name) => Path.Combine(Repo.Root, "tests", "fixtures", "benchmark-logs", name);

    /// <summary>The data of a query that must succeed.</summary>
    public Task<JsonNode> QueryAsync(string query) => Workspace.PostAsync(Http, query);

    /// <summary>The whole answer of a query (errors included) and its HTTP status.</summary>
    public async Task<(int Status, JsonNode Body)> AnswerAsync(string query)
    {
        var response = await Http.PostAsJsonAsync("/graphql", new { query });
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>SQL statements the host ran for one request (its read connection's count, reported in the answer).</summary>
    public static long Statements(JsonNode body) => (long)body["extensions"]!["cost"]!["statements"]!;

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        await Workspace.DisposeAsync();
    }
}
