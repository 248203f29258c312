using System.Diagnostics;
using System.Text.Json.Nodes;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using GaugeNN.Tests.Shared;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Three generated snapshots (tools/synth-corpus.py) behind a real host, with measurements of one model.</summary>
public sealed class SyntheticApiFixture : IAsyncLifetime
{
    public Workspace Workspace { get; } = new();
    public string Corpus { get; private set; } = "";
    public List<string> Snapshots { get; private set; } = [];
    public WarehouseHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Most apps ship models, most draws fresh variants: over a thousand unique models, for pages of a thousand.
        Corpus = SyntheticCorpus.Generate(Workspace.Root, 600, snapshots: 3, seed: 13, "--dl-share", "0.9", "--unique-share", "0.95");
        Snapshots = SyntheticCorpus.Snapshots(Corpus);
        foreach (var snapshot in Snapshots) await Workspace.IngestAsync(snapshot, Path.Combine(Corpus, snapshot));
        await Workspace.ReanalyseAsync();
        // The most shipped model (first by app count, ties by sha256) is measured: every page of models ordered so has it.
        string measured = Snapshots.SelectMany(s => File.ReadLines(Path.Combine(Corpus, $"expected-apps-{s}.jsonl")).Select(l => JsonNode.Parse(l)!))
            .SelectMany(a => a["models"]!.AsArray().Concat(a["encryptedModels"]!.AsArray()).Select(m => (Sha: (string)m!["sha256"]!, Package: (string)a["package"]!)))
            .Distinct().GroupBy(x => x.Sha).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        foreach (var device in new[] { "SM-G991B", "SM-A125F" })
            await new ImportResults(Workspace.Gauge).RunAsync(new ImportRequest(ImportKind.BenchmarkLog,
                Path.Combine(Repo.Root, "tests", "fixtures", "benchmark-logs", "tflite-gpu-percentiles.log"), device, measured), CancellationToken.None);
        (Host, Http) = await Workspace.StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        await Workspace.DisposeAsync();
    }
}

/// <summary>
/// The API at a few hundred apps per snapshot: churn of any pair equals the generator's own churn of the same two
/// snapshots, and a request's SQL statements do not grow with its pages (every edge is batched).
/// </summary>
public sealed class SyntheticApiTests(SyntheticApiFixture synth) : IClassFixture<SyntheticApiFixture>
{
    [Fact]
    public async Task churn_of_a_non_consecutive_pair_equals_the_generators_churn_of_those_two_snapshots()
    {
        string from = synth.Snapshots[0], to = synth.Snapshots[2];
        var truth = GeneratorChurn(from, to);
        var fields = truth.Select(p => p.Key).ToList();
        var summary = (await Workspace.PostAsync(synth.Http, $$"""{ churn(from: "{{from}}", to: "{{to}}") { from to summary { {{string.Join(' ', fields)}} } } }"""))["churn"]!;
        Assert.Equal(to, (string)summary["to"]!);
        foreach (var field in fields)
            Assert.True((long)truth[field]! == (long)summary["summary"]![field]!, $"{from}->{to} {field}: generator {truth[field]}, API {summary["summary"]![field]}");
        Assert.True((long)truth["appsNew"]! > 0 && (long)truth["modelsUpdated"]! > 0, "the pair has churn to compare");
    }

    /// <summary>The generator's churn function (tools/synth-corpus.py) applied to its own per-app facts of two snapshots.</summary>
    private JsonObject GeneratorChurn(string from, string to)
    {
        const string script = """
            import importlib.util, json, sys
            spec = importlib.util.spec_from_file_location("synth", sys.argv[1])
            synth = importlib.util.module_from_spec(spec); spec.loader.exec_module(synth)
            def facts(path):
                return {a["package"]: a for a in map(json.loads, open(path, encoding="utf-8"))}
            print(json.dumps(synth.churn(facts(sys.argv[2]), facts(sys.argv[3]), "a", "b")["summary"]))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", script, Path.Combine(RepositoryRoot.Path, "tools", "synth-corpus.py"),
                     Path.Combine(synth.Corpus, $"expected-apps-{from}.jsonl"), Path.Combine(synth.Corpus, $"expected-apps-{to}.jsonl") })
            start.ArgumentList.Add(a);
        using var python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd(), errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, errors);
        return JsonNode.Parse(output)!.AsObject();
    }

    private const string NestedModels = """
        { models(first: FIRST, orderBy: { field: APP_COUNT }) { totalCount edges { node { sha256 params
            apps(first: 5) { totalCount edges { node { package models { sha256 model { task } } frameworks { name } } } }
            measurements(first: 5) { totalCount edges { node { runId device { tier } model { sha256 } } } }
            relatives(first: 3) { totalCount edges { node { sha256 } } }
            compare(by: TIER) { key runs } } } } }
        """;

    private const string NestedApps = """
        { snapshot(id: "SNAPSHOT") { summary { quantizedShare frameworks { name } } apps(first: FIRST, filter: { dl: true }) { totalCount edges { node { package
            models { sha256 model { sha256 appCount apps(first: 2) { edges { node { package } } } } } history { snapshot versionCode } } } } } }
        """;

    [Fact]
    public async Task a_page_of_a_thousand_costs_the_statements_of_a_page_of_five()
    {
        async Task<(long Statements, int Nodes, long Nested)> Cost(string query, string connection)
        {
            var response = await synth.Http.PostAsync("/graphql", System.Net.Http.Json.JsonContent.Create(new { query }));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(body["errors"] is null, body.ToJsonString()[..Math.Min(500, body.ToJsonString().Length)]);
            var page = connection == "models" ? body["data"]!["models"]! : body["data"]!["snapshot"]!["apps"]!;
            var nodes = Workspace.Nodes(page);
            long nested = nodes.Sum(n => (long)(n!["apps"]?["edges"]?.AsArray().Count ?? n!["models"]!.AsArray().Count));
            return (ApiFixture.Statements(body), nodes.Count, nested);
        }

        // Facts shared by requests (the snapshot list) are read by the first request of a version of the tables.
        await Cost(NestedApps.Replace("SNAPSHOT", synth.Snapshots[1]).Replace("FIRST", "1"), "apps");
        var small = await Cost(NestedModels.Replace("FIRST", "5"), "models");
        var large = await Cost(NestedModels.Replace("FIRST", "1000"), "models");
        Assert.Equal(5, small.Nodes);
        Assert.True(large.Nodes == 1000, $"only {large.Nodes} models");
        Assert.True(large.Nested > 10 * small.Nested, "the large page reaches many more nested nodes");
        Assert.Equal(small.Statements, large.Statements);
        Assert.InRange(large.Statements, 1, 16);

        string snapshot = synth.Snapshots[1];
        var fewApps = await Cost(NestedApps.Replace("SNAPSHOT", snapshot).Replace("FIRST", "3"), "apps");
        var manyApps = await Cost(NestedApps.Replace("SNAPSHOT", snapshot).Replace("FIRST", "1000"), "apps");
        Assert.True(manyApps.Nodes > 500, $"only {manyApps.Nodes} DL apps");
        Assert.Equal(fewApps.Statements, manyApps.Statements);
        Assert.InRange(manyApps.Statements, 1, 16);
    }
}
