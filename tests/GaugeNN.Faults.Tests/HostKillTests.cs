using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// The warehouse host (`gaugenn serve`) SIGKILLed at random points of its catch-up of the 2,000-app reference (starting,
/// opening DuckDB, reading events, inside the projection step, after it) and then restarted ends with exactly the
/// tables of a clean run, which are those of `project`.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class HostKillTests(Reference reference, ITestOutputHelper output)
{
    [Fact]
    public async Task a_host_killed_at_random_points_of_its_catch_up_ends_after_a_restart_with_the_tables_of_a_clean_run()
    {
        var random = new Random(FaultScale.Seed);
        long head = await EventStoreState.HeadAsync(reference.Postgres);

        var clean = new CliEnvironment(Path.Combine(reference.Root, "host-clean", "home"), reference.Postgres);
        TimeSpan catchUp;
        using (var serve = Serve.Start(clean))
        {
            await serve.WaitCaughtUpAsync(reference);
            catchUp = serve.Process.Elapsed;
            Assert.Equal(0, (await serve.StopAsync()).Code);
        }
        var cleanCatchUp = catchUp;
        var cleanTables = WarehouseState.DumpTables(clean.Home);
        foreach (var (table, rows) in reference.Tables)
            Assert.True(rows.SequenceEqual(cleanTables[table]), $"a clean catch-up by serve differs from project in {table}");

        // Kills accumulate on one data folder while they land before the catch-up commits; a kill that lands after it
        // ends that folder's chain (checked by a restart) and the next kill starts a fresh folder.
        int landed = 0, attempts = 0, chains = 0;
        var points = new List<string>();
        CliEnvironment? chain = null;
        while (landed < FaultScale.Current.HostKills)
        {
            Assert.True(++attempts <= 4 * FaultScale.Current.HostKills, $"only {landed} of {attempts - 1} kills landed before the catch-up committed");
            chain ??= new CliEnvironment(Path.Combine(reference.Root, $"host-killed-{++chains}", "home"), reference.Postgres);
            var at = random.NextDouble() * catchUp;
            using (var serve = Serve.Start(chain))
            {
                await Task.Delay(at);
                serve.Process.Kill();
                await serve.Process.ExitAsync();
            }
            long checkpoint = File.Exists(WarehouseState.DuckDbFile(chain.Home)) ? WarehouseState.Checkpoint(chain.Home) : 0;
            points.Add($"{at.TotalSeconds:0.00} s{(checkpoint < head ? "" : " (after the commit)")}");
            if (checkpoint < head)
            {
                landed++;
                continue;
            }
            // Kill points are drawn within the latest whole catch-up, which follows the machine's load.
            catchUp = await AssertRestartConvergesAsync(chain, head, cleanTables, $"chain {chains}");
            chain = null;
        }
        if (chain is not null) await AssertRestartConvergesAsync(chain, head, cleanTables, $"chain {chains}");
        output.WriteLine($"seed {FaultScale.Seed}; a clean start and catch-up took {cleanCatchUp.TotalSeconds:0.0} s; {attempts} kills in {chains} data folders, " +
                         $"{landed} before the catch-up committed (store head {head}), at {string.Join(", ", points)}; after a restart every table equals the clean run");
    }

    /// <summary>Restarts the host on a killed folder, waits for its catch-up and checks the tables; returns how long it took.</summary>
    private async Task<TimeSpan> AssertRestartConvergesAsync(CliEnvironment at, long head, Dictionary<string, List<string>> cleanTables, string what)
    {
        TimeSpan took;
        using (var serve = Serve.Start(at))
        {
            await serve.WaitCaughtUpAsync(reference);
            took = serve.Process.Elapsed;
            Assert.Equal(0, (await serve.StopAsync()).Code);
        }
        Assert.Equal(head, WarehouseState.Checkpoint(at.Home));
        var tables = WarehouseState.DumpTables(at.Home);
        foreach (var (table, rows) in cleanTables)
            Assert.True(rows.SequenceEqual(tables[table]), $"{what}: after the kills and a restart, {table} differs from a clean run ({tables[table].Count} rows, clean {rows.Count})");
        return took;
    }
}
