using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// `gaugenn ingest` SIGKILLed at a random point (while appending, while dissecting, while opening the store) and then
/// run again converges to the clean reference: the same facts, none twice, the same tables and Parquet.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class IngestKillTests(Reference reference, ITestOutputHelper output)
{
    [Fact]
    public async Task an_ingest_killed_at_a_random_point_and_run_again_converges_to_the_reference()
    {
        var random = new Random(FaultScale.Seed);
        output.WriteLine($"seed {FaultScale.Seed} ({FaultScale.SeedVariable}), clean ingest {reference.IngestTime.TotalSeconds:0.0} s");
        int midAppend = 0;
        long total = await EventStoreState.FactsAsync(reference.Postgres);
        for (int kill = 1; kill <= FaultScale.Current.IngestKills; kill++)
        {
            await using var scenario = await Scenario.CreateAsync(reference, "ingest-kill");
            var at = random.NextDouble() * reference.IngestTime;
            using (var ingest = scenario.StartIngest())
            {
                await Task.Delay(at);
                ingest.Kill();
                await ingest.ExitAsync();
            }
            long committed = await EventStoreState.FactsAsync(scenario.Postgres);
            if (committed > 0 && committed < total) midAppend++;

            var rerun = await scenario.IngestAsync();
            Assert.True(rerun.Code == 0, $"kill {kill}: {rerun}");
            output.WriteLine($"kill {kill} at {at.TotalSeconds:0.00} s: {committed} of {total} facts committed; re-run exited 0 in {rerun.Took.TotalSeconds:0.0} s");
            await reference.AssertConvergedAsync(scenario.Environment, $"kill {kill} at {at.TotalSeconds:0.00} s");
        }
        output.WriteLine($"{FaultScale.Current.IngestKills} kills ({midAppend} with part of the facts committed), all converged; duplicate groups 0");
    }
}
