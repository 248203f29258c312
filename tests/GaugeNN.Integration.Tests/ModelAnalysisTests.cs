using System.Text.Json.Nodes;
using GaugeNN.Events;
using GaugeNN.Formats;
using GaugeNN.Warehouse.EventStore;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Dissections flow from ingest to dim_model and GraphQL; re-analysis works from stored bytes alone.</summary>
public sealed class ModelAnalysisTests
{
    private static readonly JsonObject ExpectedModels =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "tests", "fixtures", "expected-models.json")))!["models"]!.AsObject();

    [Fact]
    public async Task graphql_answers_each_ingested_tflite_and_onnx_model_with_its_ground_truth_metrics()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await w.ReanalyseAsync();
        await w.ProjectAsync();

        var ingested = ExpectedModels
            .Where(m => (string)m.Value!["framework"]! is "tflite" or "onnx")
            .Where(m => Repo.Expected["snapshots"]!.AsObject().Any(s => s.Value!["uniqueModelSha256"]!.AsArray()
                .Any(sha => (string)sha! == (string)m.Value!["sha256"]!)))
            .ToList();
        Assert.True(ingested.Count >= 8, $"only {ingested.Count} fixture models are in the snapshots");
        foreach (var (path, truth) in ingested)
        {
            var model = (await w.GraphQLAsync($$"""{ model(sha256: "{{(string)truth!["sha256"]!}}") { format params macs macsUnknownNodes flops quantized weightDtypes { dtype count } } }"""))["model"]!;
            Assert.True(model is not null, path);
            Assert.Equal((string)truth["framework"]!, (string)model["format"]!);
            Assert.Equal(((long)truth["params"]!, (long)truth["macs"]!, (long)truth["flops"]!, (bool)truth["quantized"]!, (long)truth["macs_unknown_nodes"]!),
                ((long)model["params"]!, (long)model["macs"]!, (long)model["flops"]!, (bool)model["quantized"]!, (long)model["macsUnknownNodes"]!));
            var dtypes = model["weightDtypes"]!.AsArray().ToDictionary(d => (string)d!["dtype"]!, d => (long)d!["count"]!);
            var expectedDtypes = truth["weight_dtype_histogram"]!.AsObject().ToDictionary(p => p.Key, p => (long)p.Value!);
            Assert.Equal(expectedDtypes.OrderBy(p => p.Key), dtypes.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public async Task reanalyse_dissects_stored_models_again_from_the_blob_store_without_the_apks()
    {
        await using var w = new Workspace();
        string copy = w.CopySnapshot("2020-02");
        await w.IngestAsync("2020-02", copy);
        await w.ReanalyseAsync();
        Directory.Delete(copy, recursive: true);
        var log = new EventLog(w.Store);
        Assert.Empty(await log.ModelsToAnalyseAsync(ModelDissector.AnalyserVersion, CancellationToken.None));
        long before = await DissectionCountAsync(w);
        Assert.Equal((long)Repo.Expected["snapshots"]!["2020-02"]!["uniqueModelSha256Count"]!, before);

        // An analyser one version newer than the one that ran finds every model stale.
        var stale = await log.ModelsToAnalyseAsync(ModelDissector.AnalyserVersion + 1, CancellationToken.None);
        Assert.Equal(before, stale.Count);
        await using (var session = w.Store.LightweightSession())
        {
            foreach (var model in await session.LoadManyAsync<ModelLedgerEntry>(stale.Select(m => m.Id).ToArray()))
            {
                model.AnalyserVersion = 0;
                session.Update(model);
            }
            await session.SaveChangesAsync();
        }
        var summary = await w.ReanalyseAsync();

        Assert.Equal((before, 0), (summary.Dissected, summary.Failed));
        Assert.Equal(2 * before, await DissectionCountAsync(w));
    }

    private static Task<long> DissectionCountAsync(Workspace w) => w.WithEventsAsync(async s =>
        (long)(await s.Events.QueryAllRawEvents().ToListAsync()).Count(e => e.Data is ModelDissected));
}
