using System.Diagnostics;
using GaugeNN.Application;
using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// `gaugenn project --rebuild` (the old DuckDB file replaced by a new one, every event replayed into it) SIGKILLed at
/// random points — starting, replacing the file, reading, inside the projection step — and followed by `project`
/// converges to the reference: the same tables and byte-identical Parquet.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class RebuildKillTests(Reference reference, ITestOutputHelper output)
{
    [Fact]
    public async Task a_rebuild_killed_at_random_points_is_completed_by_the_next_project()
    {
        var random = new Random(FaultScale.Seed);
        long head = await EventStoreState.HeadAsync(reference.Postgres);
        var at = new CliEnvironment(Path.Combine(reference.Root, "rebuild-killed", "home"), reference.Postgres);
        var project = await Gaugenn.RunAsync(at, "project");
        Assert.True(project.Code == 0, project.ToString());
        TimeSpan whole, held;
        using (var clean = Gaugenn.Start(at, "project", "--rebuild"))
        {
            var holding = await HoldingAsync(at, clean);
            var exit = await clean.ExitAsync();
            Assert.True(exit.Code == 0, exit.ToString());
            (whole, held) = (exit.Took, exit.Took - holding);
        }
        await reference.AssertConvergedAsync(at, "a clean rebuild");

        // Odd kills at a random moment of the whole run (mostly the process starting); even ones at a random moment
        // after the rebuild took the warehouse (replacing the file, reading, inside the projection step, committing).
        int behind = 0;
        var points = new List<string>();
        for (int kill = 1; kill <= FaultScale.Current.RebuildKills; kill++)
        {
            string point;
            using (var rebuild = Gaugenn.Start(at, "project", "--rebuild"))
            {
                var delay = random.NextDouble() * (kill % 2 == 1 ? whole : held);
                point = kill % 2 == 1 ? $"at {delay.TotalSeconds:0.00} s" : $"{delay.TotalSeconds:0.00} s after it took the warehouse";
                if (kill % 2 == 0) await HoldingAsync(at, rebuild);
                await Task.Delay(delay);
                rebuild.Kill();
                await rebuild.ExitAsync();
            }
            // Behind: no file, or a new one whose step never committed (the others were killed before or after).
            bool left = !File.Exists(WarehouseState.DuckDbFile(at.Home)) || WarehouseState.Checkpoint(at.Home) < head;
            if (left) behind++;
            points.Add(left ? point : $"{point} (whole)");
            await reference.AssertConvergedAsync(at, $"kill {kill} {point}");
        }
        output.WriteLine($"seed {FaultScale.Seed}; a clean rebuild took {whole.TotalSeconds:0.0} s, {held.TotalSeconds:0.0} s of it holding the " +
                         $"warehouse (store head {head}); {FaultScale.Current.RebuildKills} kills, {behind} left the warehouse behind the head: " +
                         $"{string.Join(", ", points)}; after each, project and export equal the reference");
    }

    /// <summary>Waits until the rebuild holds the data folder's warehouse lock; returns how long it had run by then.</summary>
    private static async Task<TimeSpan> HoldingAsync(CliEnvironment at, Gaugenn rebuild)
    {
        var folder = new DataFolder(at.Home);
        var limit = Stopwatch.StartNew();
        while (WarehouseLock.Owner(folder)?.Pid != rebuild.Pid)
        {
            Assert.False(rebuild.HasExited, "the rebuild exited before it took the warehouse");
            Assert.True(limit.Elapsed < TimeSpan.FromMinutes(1), "the rebuild never took the warehouse");
            await Task.Delay(2);
        }
        return rebuild.Elapsed;
    }
}
