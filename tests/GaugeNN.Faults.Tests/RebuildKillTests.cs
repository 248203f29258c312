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
        var clean = await Gaugenn.RunAsync(at, "project", "--rebuild");
        Assert.True(clean.Code == 0, clean.ToString());
        await reference.AssertConvergedAsync(at, "a clean rebuild");

        // Kill points are drawn within a whole rebuild; only kills that left the warehouse behind the store's head
        // (no file, or a file whose step never committed) count, the others are checked all the same.
        int landed = 0, attempts = 0;
        var points = new List<string>();
        while (landed < FaultScale.Current.RebuildKills)
        {
            Assert.True(++attempts <= 4 * FaultScale.Current.RebuildKills, $"only {landed} of {attempts - 1} kills landed inside the rebuild");
            var point = random.NextDouble() * clean.Took;
            using (var rebuild = Gaugenn.Start(at, "project", "--rebuild"))
            {
                await Task.Delay(point);
                rebuild.Kill();
                await rebuild.ExitAsync();
            }
            string file = WarehouseState.DuckDbFile(at.Home);
            bool inside = !File.Exists(file) || WarehouseState.Checkpoint(at.Home) < head;
            if (inside) landed++;
            if (inside) points.Add($"{point.TotalSeconds:0.00} s");
            await reference.AssertConvergedAsync(at, $"a kill at {point.TotalSeconds:0.00} s{(inside ? "" : " (the warehouse whole)")}");
        }
        output.WriteLine($"seed {FaultScale.Seed}; a clean rebuild took {clean.Took.TotalSeconds:0.0} s (store head {head}); {attempts} kills, " +
                         $"{landed} inside the rebuild (at {string.Join(", ", points)}), the others before the file was replaced or after " +
                         "the commit; after each, project and export equal the reference");
    }
}
