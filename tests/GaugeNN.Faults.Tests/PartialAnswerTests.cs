using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// No silent partial warehouse: `project` and `export` started right after an ingest was SIGKILLed mid-append (its
/// sequence numbers left as a gap, the re-run's events behind it) either fail or exit 0 with every app PostgreSQL had
/// committed when they started — and exactly the apps committed up to the point they report.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class PartialAnswerTests(Reference reference, ITestOutputHelper output)
{
    [Fact]
    public async Task project_and_export_right_after_a_killed_ingest_never_exit_0_with_fewer_apps_than_postgres_committed()
    {
        var random = new Random(FaultScale.Seed);
        output.WriteLine($"seed {FaultScale.Seed}");
        int refused = 0, answered = 0;
        for (int trial = 1; trial <= FaultScale.Current.PartialAnswerTrials; trial++)
        {
            await using var scenario = await Scenario.CreateAsync(reference, "partial");
            long killedAt = await scenario.KillIngestInsideAnAppendAsync(random.NextInt64(1, Reference.Apps));

            // Odd trials: the readers start as soon as the re-run has committed apps behind the gap, while it goes on.
            // Even ones: right after it ends.
            bool during = trial % 2 == 1;
            using var rerun = scenario.StartIngest();
            if (!during) Assert.True((await rerun.ExitAsync()).Code == 0, $"trial {trial}: the re-run failed: {rerun.Output}");
            while (during && !rerun.HasExited && await EventStoreState.CommittedAppsAsync(scenario.Postgres, Reference.Snapshot) == killedAt)
                await Task.Delay(20);
            long gap = await EventStoreState.MissingSequenceNumbersAsync(scenario.Postgres);
            long committed = await EventStoreState.CommittedAppsAsync(scenario.Postgres, Reference.Snapshot);
            var readers = await Task.WhenAll(
                Gaugenn.RunAsync(scenario.At("project"), "project"),
                Gaugenn.RunAsync(scenario.At("export"), "export", "parquet", scenario.At("export").Home + "-lake"));
            var (project, export) = (readers[0], readers[1]);
            if (during) Assert.True((await rerun.ExitAsync()).Code == 0, $"trial {trial}: the re-run failed: {rerun.Output}");

            string what = $"trial {trial} (killed with {killedAt} apps committed; readers {(during ? "during" : "right after")} the re-run, " +
                          $"{committed} apps committed and {gap} sequence numbers missing as they started)";
            long projected = await AssertCompleteAsync(scenario, "project", project, committed, what, home => WarehouseState.Apps(home, Reference.Snapshot));
            long exported = await AssertCompleteAsync(scenario, "export", export, committed, what, home => WarehouseState.AppsInLake(home + "-lake", Reference.Snapshot));
            foreach (var exit in new[] { project, export })
                if (exit.Code == 0) answered++;
                else refused++;
            output.WriteLine($"{what}: project exit {project.Code} with {projected} apps, export exit {export.Code} with {exported} apps");

            // Tables and Parquet after a killed ingest are IngestKillTests' subject; here the store must hold the facts.
            await reference.AssertSameFactsAsync(scenario.Postgres, $"trial {trial}");
        }
        output.WriteLine($"{answered} complete answers, {refused} refusals, 0 partial answers");
    }

    /// <summary>
    /// A command that exited 0 holds at least the apps committed before it started, and exactly those PostgreSQL had
    /// committed up to the checkpoint it reached (nothing skipped behind a gap). Returns the apps it holds (-1: it failed).
    /// </summary>
    private static async Task<long> AssertCompleteAsync(Scenario scenario, string name, CliExit exit, long committed, string what, Func<string, long> apps)
    {
        if (exit.Code != 0)
        {
            Assert.True(exit.Code == 1, $"{what}: {name} failed with an unexpected exit code: {exit}");
            return -1;
        }
        string home = scenario.At(name).Home;
        long held = apps(home);
        long checkpoint = WarehouseState.Checkpoint(home);
        Assert.True(held >= committed, $"{what}: {name} exited 0 with {held} apps, but {committed} were committed before it started");
        long upToCheckpoint = await EventStoreState.CommittedAppsAsync(scenario.Postgres, Reference.Snapshot, checkpoint);
        Assert.True(held == upToCheckpoint, $"{what}: {name} exited 0 at checkpoint {checkpoint} with {held} apps, but PostgreSQL holds {upToCheckpoint} up to it");
        return held;
    }
}
