using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// Four `gaugenn ingest` processes of the same snapshot at once leave exactly the facts of one: the same events per
/// type as the clean reference, no fact twice, the same tables and byte-identical Parquet — into a fresh database, and
/// into one whose schema (or whose snapshot stream, partly ingested) already exists.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class ConcurrentIngestTests(Reference reference, ITestOutputHelper output)
{
    private const int Writers = 4;

    [Fact]
    public async Task four_concurrent_ingests_into_a_fresh_database_leave_exactly_the_reference()
    {
        for (int trial = 1; trial <= FaultScale.Current.ConcurrentIngestTrials; trial++)
        {
            await using var scenario = await Scenario.CreateAsync(reference, "fresh");
            await RaceAsync(scenario, $"fresh trial {trial}");
        }
    }

    [Fact]
    public async Task four_concurrent_ingests_into_an_existing_schema_or_snapshot_stream_leave_exactly_the_reference()
    {
        for (int trial = 1; trial <= FaultScale.Current.ConcurrentIngestTrials; trial++)
        {
            await using var scenario = await Scenario.CreateAsync(reference, "existing");
            // Odd trials: the schema exists (made by a `project` of the empty store). Even ones: the snapshot stream and
            // a quarter of its apps exist too, from an earlier ingest of one shard.
            bool partial = trial % 2 == 0;
            var before = partial ? await scenario.IngestAsync("--shard", "0/4") : await Gaugenn.RunAsync(scenario.Environment, "project");
            Assert.True(before.Code == 0, before.ToString());
            await RaceAsync(scenario, $"existing trial {trial} ({(partial ? "shard 0/4 ingested" : "schema only")})");
        }
    }

    private async Task RaceAsync(Scenario scenario, string what)
    {
        var writers = Enumerable.Range(0, Writers).Select(_ => scenario.StartIngest()).ToList();
        try
        {
            var exits = await Task.WhenAll(writers.Select(w => w.ExitAsync()));
            foreach (var exit in exits) Assert.True(exit.Code == 0, $"{what}: {exit}");
            long duplicates = await EventStoreState.DuplicateGroupsAsync(scenario.Postgres);
            output.WriteLine($"{what}: {Writers} ingests exited 0 in {exits.Max(e => e.Took).TotalSeconds:0.0} s; duplicate groups {duplicates}");
            await reference.AssertConvergedAsync(scenario.Environment, what);
        }
        finally
        {
            foreach (var w in writers) w.Dispose();
        }
    }
}
