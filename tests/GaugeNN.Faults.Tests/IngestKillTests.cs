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
            // Odd kills at a random moment of the whole run (opening the store, scanning, appending, dissecting);
            // even ones inside an append transaction, once a random number of apps is committed.
            string point;
            if (kill % 2 == 1)
            {
                var at = random.NextDouble() * reference.IngestTime;
                point = $"at {at.TotalSeconds:0.00} s";
                using var ingest = scenario.StartIngest();
                await Task.Delay(at);
                ingest.Kill();
                await ingest.ExitAsync();
            }
            else
            {
                long apps = random.NextInt64(1, Reference.Apps);
                point = $"inside an append after {apps} apps";
                await scenario.KillIngestInsideAnAppendAsync(apps);
            }
            long committed = await EventStoreState.FactsAsync(scenario.Postgres);
            if (committed > 0 && committed < total) midAppend++;

            var rerun = await scenario.IngestAsync();
            Assert.True(rerun.Code == 0, $"kill {kill}: {rerun}");
            // The killed transaction's numbers show as missing once the re-run committed past them.
            long gap = await EventStoreState.MissingSequenceNumbersAsync(scenario.Postgres);
            output.WriteLine($"kill {kill} {point}: {committed} of {total} facts committed; re-run exited 0 in {rerun.Took.TotalSeconds:0.0} s, leaving {gap} sequence numbers missing");
            await reference.AssertConvergedAsync(scenario.Environment, $"kill {kill} {point}");
        }
        output.WriteLine($"{FaultScale.Current.IngestKills} kills ({midAppend} with part of the facts committed), all converged; duplicate groups 0");
    }
}
