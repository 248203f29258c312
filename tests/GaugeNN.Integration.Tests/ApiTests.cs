using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>The GraphQL API beyond the snapshot counts: paging, filters, app history, limits, bad requests.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private readonly Workspace _w = new();

    public async Task InitializeAsync()
    {
        await _w.IngestAsync("2020-02");
        await _w.IngestAsync("2021-04");
        await _w.ReanalyseAsync();
        await _w.ProjectAsync();
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task models_pages_through_every_unique_model_once_in_sha256_order()
    {
        var seen = new List<string>();
        string? after = null;
        for (int page = 0; page < 20; page++)
        {
            string afterArgument = after is null ? "" : $", after: \"{after}\"";
            var models = (await _w.GraphQLAsync($$"""{ models(first: 3{{afterArgument}}) { edges { cursor node { sha256 appCount } } pageInfo { hasNextPage endCursor } } }"""))["models"]!;
            var edges = models["edges"]!.AsArray();
            Assert.InRange(edges.Count, 1, 3);
            seen.AddRange(edges.Select(e => (string)e!["node"]!["sha256"]!));
            after = (string?)models["pageInfo"]!["endCursor"];
            if (!(bool)models["pageInfo"]!["hasNextPage"]!) break;
        }
        var expected = Repo.Expected["snapshots"]!.AsObject()
            .SelectMany(s => s.Value!["apps"]!.AsObject().SelectMany(a => a.Value!["models"]!.AsArray().Concat(a.Value!["encryptedModels"]!.AsArray())))
            .Select(m => (string)m!["sha256"]!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task models_filtered_by_format_and_quantization_are_exactly_the_quantized_ones_of_that_format()
    {
        var edges = (await _w.GraphQLAsync("""{ models(filter: { format: "TFLITE", quantized: true }) { edges { node { sha256 format quantized } } } }"""))["models"]!["edges"]!.AsArray();
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "tests", "fixtures", "expected-models.json")))!["models"]!.AsObject();
        var shipped = Repo.Expected["snapshots"]!.AsObject().SelectMany(s => s.Value!["uniqueModelSha256"]!.AsArray()).Select(x => (string)x!).ToHashSet();
        var expected = truth.Where(m => (string)m.Value!["framework"]! == "tflite" && (bool)m.Value["quantized"]! && shipped.Contains((string)m.Value["sha256"]!))
            .Select(m => (string)m.Value!["sha256"]!).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, edges.Select(e => (string)e!["node"]!["sha256"]!).Order().ToList());
    }

    [Fact]
    public async Task app_history_lists_the_app_in_each_snapshot_with_its_models()
    {
        var history = (await _w.GraphQLAsync("""{ app(package: "org.gaugenn.fixture.facecam") { history { snapshot versionCode models { path sha256 } } } }"""))["app"]!["history"]!.AsArray();
        Assert.Equal(["2020-02", "2021-04"], history.Select(h => (string)h!["snapshot"]!));
        foreach (var h in history)
        {
            var truth = Repo.Expected["snapshots"]![(string)h!["snapshot"]!]!["apps"]!["org.gaugenn.fixture.facecam"]!;
            Assert.Equal((long)truth["versionCode"]!, (long)h["versionCode"]!);
            Assert.Equal(truth["models"]!.AsArray().Select(m => (string)m!["sha256"]!), h["models"]!.AsArray().Select(m => (string)m!["sha256"]!));
        }
    }

    [Fact]
    public async Task adoption_by_framework_and_category_counts_the_apps_shipping_models_in_each_snapshot()
    {
        var byFramework = (await _w.GraphQLAsync("{ adoption(by: FRAMEWORK) { key points { snapshot apps outOf share } } }"))["adoption"]!.AsArray();
        var expectedFramework = Repo.Expected["snapshots"]!.AsObject().SelectMany(s => s.Value!["apps"]!.AsObject()
                .SelectMany(a => a.Value!["models"]!.AsArray().Select(m => (Framework: (string)m!["framework"]!, Package: a.Key))).Distinct()
                .GroupBy(x => x.Framework).Select(g => $"{g.Key} {s.Key} {g.Count()}/{(long)s.Value["appsListed"]!}"))
            .Order().ToList();
        Assert.Equal(expectedFramework, byFramework.SelectMany(k => k!["points"]!.AsArray()
            .Select(p => $"{k["key"]} {p!["snapshot"]} {p["apps"]}/{p["outOf"]}")).Order().ToList());
        Assert.All(byFramework.SelectMany(k => k!["points"]!.AsArray()),
            p => Assert.Equal((double)(long)p!["apps"]! / (long)p["outOf"]!, (double)p["share"]!, 9));

        var byCategory = (await _w.GraphQLAsync("{ adoption(by: CATEGORY) { key points { snapshot apps outOf } } }"))["adoption"]!.AsArray();
        var listings = new[] { "2020-02", "2021-04" }.SelectMany(snapshot => File.ReadLines(Path.Combine(Repo.Snapshot(snapshot), "listing.jsonl"))
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Select(l => (Snapshot: snapshot, Category: (string)l["category"]!,
                Dl: Repo.Expected["snapshots"]![snapshot]!["apps"]![(string)l["package"]!]!["models"]!.AsArray().Count > 0)));
        var expectedCategory = listings.GroupBy(l => (l.Category, l.Snapshot))
            .Select(g => $"{g.Key.Category} {g.Key.Snapshot} {g.Count(x => x.Dl)}/{g.Count()}").Order().ToList();
        Assert.Equal(expectedCategory, byCategory.SelectMany(k => k!["points"]!.AsArray()
            .Select(p => $"{k["key"]} {p!["snapshot"]} {p["apps"]}/{p["outOf"]}")).Order().ToList());

        var byTask = (await _w.GraphQLAsync("{ adoption(by: TASK) { key points { snapshot apps } } }"))["adoption"]!.AsArray();
        Assert.Contains(byTask, k => (string)k!["key"]! == "face-detection");
        Assert.DoesNotContain(byTask, k => (string)k!["key"]! == "unknown" && k["points"]!.AsArray().Count == 0);
    }

    [Fact]
    public async Task an_unknown_app_snapshot_or_model_is_null_not_an_error()
    {
        var data = await _w.GraphQLAsync("""{ app(package: "no.such.app") { package } snapshot(id: "1999-01") { id } model(sha256: "00") { sha256 } }""");
        Assert.Null(data["app"]);
        Assert.Null(data["snapshot"]);
        Assert.Null(data["model"]);
    }

    [Fact]
    public async Task a_running_host_shows_an_ingest_made_by_another_writer_with_no_project_call()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        var (host, http) = await w.StartHostAsync();
        await using var _ = host;
        using var __ = http;
        async Task<List<string>> SnapshotIds() =>
            (await Workspace.PostAsync(http, "{ snapshots { id } }"))["snapshots"]!.AsArray().Select(s => (string)s!["id"]!).ToList();

        Assert.Equal(["2020-02"], await SnapshotIds());
        await w.IngestAsync("2021-04");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await SnapshotIds() is { Count: < 2 } && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(["2020-02", "2021-04"], await SnapshotIds());
    }

    [Fact]
    public async Task bad_requests_too_deep_queries_and_oversized_pages_are_refused_with_a_message()
    {
        var (host, http) = await _w.StartHostAsync();
        await using var _ = host;
        using var __ = http;

        var notJson = await http.PostAsync("/graphql", new StringContent("not json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("query", await notJson.Content.ReadAsStringAsync());

        string deep = "{ __schema { types { fields { type " + string.Concat(Enumerable.Repeat("{ ofType ", 20)) + "{ name }" + new string('}', 20) + " } } } }";
        var tooDeep = await http.PostAsJsonAsync("/graphql", new { query = deep });
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Contains("depth", (await tooDeep.Content.ReadAsStringAsync()).ToLowerInvariant());

        var oversized = JsonNode.Parse(await (await http.PostAsJsonAsync("/graphql", new { query = "{ models(first: 1001) { pageInfo { hasNextPage } } }" })).Content.ReadAsStringAsync())!;
        Assert.Contains("first must be between", oversized["errors"]![0]!["message"]!.ToString());

        var page = await http.GetStringAsync("/");
        Assert.Contains("/graphql", page);
    }
}
