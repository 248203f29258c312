using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// Three generated snapshots (tools/synth-corpus.py: the generator writes its own ground truth) go through the whole
/// pipeline — ingest, dissection, projection, GraphQL — and every count, every app's model files and the churn
/// between consecutive snapshots equal what the generator says it wrote.
/// </summary>
public sealed class SyntheticCorpusTests
{
    private const int Apps = 300;

    [Fact]
    public async Task a_generated_three_snapshot_store_is_counted_listed_and_compared_exactly_as_its_generator_wrote_it()
    {
        await using var w = new Workspace();
        string corpus = SyntheticCorpus.Generate(w.Root, Apps, snapshots: 3, seed: 11);
        var truth = SyntheticCorpus.Truth(corpus);
        var snapshots = SyntheticCorpus.Snapshots(corpus);
        Assert.Equal(3, snapshots.Count);
        foreach (var snapshot in snapshots)
            await w.IngestAsync(snapshot, Path.Combine(corpus, snapshot));
        await w.ReanalyseAsync();
        await w.ProjectAsync();

        var counted = (await w.GraphQLAsync("{ snapshots { id apps dlApps modelFiles encryptedModelFiles uniqueModels formats { name modelFiles } } }"))["snapshots"]!.AsArray();
        Assert.Equal(snapshots, counted.Select(s => (string)s!["id"]!));
        foreach (var s in counted)
        {
            var expected = truth["snapshots"]![(string)s!["id"]!]!;
            Assert.Equal(
                ((long)expected["appsListed"]!, (long)expected["appsWithModelsOrEncrypted"]!, (long)expected["modelFiles"]!,
                 (long)expected["encryptedModels"]!, (long)expected["uniqueModelSha256Count"]!),
                ((long)s["apps"]!, (long)s["dlApps"]!, (long)s["modelFiles"]!, (long)s["encryptedModelFiles"]!, (long)s["uniqueModels"]!));
            Assert.Equal(expected["modelFilesByFramework"]!.AsObject().Where(p => (long)p.Value! > 0).Select(p => (p.Key, (long)p.Value!)).Order(),
                s["formats"]!.AsArray().Select(f => ((string)f!["name"]!, (long)f["modelFiles"]!)).Order());
        }

        foreach (var snapshot in snapshots)
        {
            var apps = Workspace.Nodes((await w.GraphQLAsync($$"""{ snapshot(id: "{{snapshot}}") { apps(first: 1000) { edges { node { package versionCode models { path sha256 format bytes encrypted } } } } } }"""))
                ["snapshot"]!["apps"]).ToDictionary(a => (string)a!["package"]!, a => a!);
            var expectedApps = File.ReadLines(Path.Combine(corpus, $"expected-apps-{snapshot}.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(expectedApps.Select(a => (string)a["package"]!).Order(), apps.Keys.Order());
            foreach (var expected in expectedApps)
            {
                var app = apps[(string)expected["package"]!];
                Assert.Equal((long)expected["versionCode"]!, (long)app["versionCode"]!);
                Assert.Equal(
                    expected["models"]!.AsArray().Select(m => ((string)m!["path"]!, (string)m["sha256"]!, (string)m["framework"]!, (long)m["size"]!, false))
                        .Concat(expected["encryptedModels"]!.AsArray().Select(m => ((string)m!["path"]!, (string)m["sha256"]!, "?", (long)m["size"]!, true))).Order(),
                    app["models"]!.AsArray().Select(m => ((string)m!["path"]!, (string)m["sha256"]!, (bool)m["encrypted"]! ? "?" : (string)m["format"]!,
                        (long)m["bytes"]!, (bool)m["encrypted"]!)).Order());
            }
        }

        foreach (var pair in truth["churn"]!.AsArray())
        {
            var fields = pair!["summary"]!.AsObject().Select(p => p.Key).ToList();
            var summary = (await w.GraphQLAsync($$"""{ churn(from: "{{pair["from"]}}", to: "{{pair["to"]}}") { summary { {{string.Join(' ', fields)}} } } }"""))
                ["churn"]!["summary"]!;
            foreach (var field in fields)
                Assert.True((long)pair["summary"]![field]! == (long)summary[field]!,
                    $"{pair["from"]}->{pair["to"]} {field}: expected {pair["summary"]![field]}, got {summary[field]}");
        }
    }
}
