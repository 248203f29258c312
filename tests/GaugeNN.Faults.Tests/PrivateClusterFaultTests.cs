using System.Diagnostics;
using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// The data folder's own PostgreSQL survives kills: a `gaugenn db start` SIGKILLed while it creates and starts a fresh
/// cluster leaves a folder where every command works at once, and an ingest whose postmaster is SIGKILLed converges
/// when run again. At every step `db status` says what PostgreSQL itself says (exit 0 exactly when a server of the
/// folder answers).
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class PrivateClusterFaultTests(Reference reference, ITestOutputHelper output)
{
    private const int SmallApps = 20;

    /// <summary>
    /// Where a kill of the first `db start` lands: when <c>Reached(home, pid)</c> first holds (a helper it waits on
    /// runs, a file PostgreSQL writes appears), or at a random moment.
    /// </summary>
    private sealed record KillPoint(string Name, Func<string, int, bool>? Reached, TimeSpan? At);

    [Fact]
    public async Task a_gaugenn_killed_while_db_start_creates_the_cluster_leaves_a_data_folder_where_every_command_works()
    {
        string small = reference.SmallSnapshot(Path.Combine(reference.Root, "cluster-start-small"), SmallApps);
        var points = new List<KillPoint>
        {
            new("while initdb runs", (_, pid) => Signals.Descendants(pid).Any(p => Signals.CommandName(p) == "initdb"), null),
            // pg_ctl runs for some tens of milliseconds: caught by the log file it creates first.
            new("as pg_ctl start begins", (home, _) => File.Exists(Path.Combine(home, "pg", "server.log")), null),
            new("after the postmaster started, before pg/port was written", (home, _) => File.Exists(PrivateClusterState.PidFile(home)), null),
        };
        if (FaultScale.Current.RandomClusterStartKills > 0)
        {
            // Random points fall within the time a clean first start takes.
            string cleanHome = FreshHome("clean-start");
            var cleanStart = await Gaugenn.RunAsync(new CliEnvironment(cleanHome, null), "db", "start");
            Assert.True(cleanStart.Code == 0, cleanStart.ToString());
            await EveryCommandWorksAsync(cleanHome, small, "after a clean db start", orphans: []);
            var random = new Random(FaultScale.Seed);
            output.WriteLine($"seed {FaultScale.Seed}; a clean first `db start` took {cleanStart.Took.TotalSeconds:0.0} s");
            points.AddRange(Enumerable.Range(1, FaultScale.Current.RandomClusterStartKills)
                .Select(i => new KillPoint($"at random point {i}", null, random.NextDouble() * cleanStart.Took)));
        }

        foreach (var point in points)
        {
            string home = FreshHome("killed-start");
            IReadOnlyList<int> orphans;
            string helpers;
            bool landed;
            using (var start = Gaugenn.Start(new CliEnvironment(home, null), "db", "start"))
            {
                landed = await WaitForAsync(start, home, point);
                orphans = Signals.Descendants(start.Pid);
                helpers = string.Join(", ", orphans.Select(Signals.CommandName).OfType<string>());
                start.Kill();
                await start.ExitAsync();
            }
            try
            {
                await EveryCommandWorksAsync(home, small, $"killed {point.Name}", orphans);
            }
            finally
            {
                foreach (var orphan in orphans.Where(p => Signals.IsAlive(p) && Signals.CommandName(p) != "postgres"))
                    Signals.Send(orphan, Signals.Kill);
            }
            Directory.Delete(Path.GetDirectoryName(home)!, recursive: true);
            output.WriteLine($"killed {point.Name}{(landed ? "" : " (db start had already finished)")}: " +
                             $"left running: {(helpers.Length == 0 ? "nothing" : helpers)}; every command then worked");
        }
    }

    [Fact]
    public async Task an_ingest_whose_postmaster_is_killed_converges_when_run_again_and_db_status_follows_the_server()
    {
        var random = new Random(FaultScale.Seed);
        string home = FreshHome("postmaster-kill");
        var at = new CliEnvironment(home, null);
        try
        {
            var start = await Gaugenn.RunAsync(at, "db", "start");
            Assert.True(start.Code == 0, start.ToString());
            await AssertStatusAsync(home, running: true, "after db start");
            for (int kill = 1; kill <= FaultScale.Current.PostmasterKills; kill++)
            {
                string postgres = (await PrivateClusterState.AnsweringAsync(home))!;
                if (kill > 1) await ResetAsync(home, postgres);
                var delay = random.NextDouble() * reference.IngestTime;
                CliExit killed;
                using (var ingest = Gaugenn.Start(at, "ingest", "--snapshot", Reference.Snapshot, reference.SnapshotFolder))
                {
                    await Task.Delay(delay);
                    Assert.True(PrivateClusterState.Postmaster(home) is { } postmaster && Signals.Send(postmaster, Signals.Kill), "no postmaster to kill");
                    killed = await ingest.ExitAsync();
                }
                // Not running, unless the kill landed while the ingest was starting the cluster, which then started it again.
                bool restarted = await AssertStatusAsync(home, running: killed.Code == 0 ? null : false, $"kill {kill}: after the postmaster was killed");

                var rerun = await Gaugenn.RunAsync(at, "ingest", "--snapshot", Reference.Snapshot, reference.SnapshotFolder);
                Assert.True(rerun.Code == 0, $"kill {kill}: {rerun}");
                await AssertStatusAsync(home, running: true, $"kill {kill}: after the re-run");
                output.WriteLine($"postmaster kill {kill} at {delay.TotalSeconds:0.00} s: the ingest exited {killed.Code}{(restarted ? " (it had started the cluster again)" : "")}; the re-run exited 0");
                await reference.AssertConvergedAsync(at, $"postmaster kill {kill}", (await PrivateClusterState.AnsweringAsync(home))!);
            }
            var stop = await Gaugenn.RunAsync(at, "db", "stop");
            Assert.True(stop.Code == 0, stop.ToString());
            await AssertStatusAsync(home, running: false, "after db stop");
        }
        finally
        {
            await PrivateClusterState.StopAsync(home);
        }
    }

    /// <summary>
    /// Right after the kill an ingest works (starting what it needs); once the killed start's helpers are done, db
    /// status matches PostgreSQL, and project, export, stop and start all work and keep what was ingested.
    /// </summary>
    private static async Task EveryCommandWorksAsync(string home, string small, string what, IReadOnlyList<int> orphans)
    {
        var at = new CliEnvironment(home, null);
        try
        {
            var ingest = await Gaugenn.RunAsync(at, "ingest", "--snapshot", Reference.Snapshot, small);
            Assert.True(ingest.Code == 0, $"{what}: {ingest}");
            await WaitForExitAsync(orphans, what);
            await AssertStatusAsync(home, running: true, what);
            long facts = await EventStoreState.FactsAsync((await PrivateClusterState.AnsweringAsync(home))!);
            foreach (var args in new[] { ["project"], new[] { "export", "parquet", home + "-lake" } })
            {
                var exit = await Gaugenn.RunAsync(at, args);
                Assert.True(exit.Code == 0, $"{what}: {exit}");
            }
            Assert.Equal(SmallApps, WarehouseState.Apps(home, Reference.Snapshot));
            Assert.Equal(SmallApps, WarehouseState.AppsInLake(home + "-lake", Reference.Snapshot));

            foreach (var (verb, running) in new[] { ("stop", false), ("start", true), ("stop", false) })
            {
                var exit = await Gaugenn.RunAsync(at, "db", verb);
                Assert.True(exit.Code == 0, $"{what}: {exit}");
                await AssertStatusAsync(home, running, $"{what}, after db {verb}");
                if (running) Assert.Equal(facts, await EventStoreState.FactsAsync((await PrivateClusterState.AnsweringAsync(home))!));
            }
            Assert.True(Directory.GetDirectories(Path.Combine(home, "pg")).Select(Path.GetFileName).Order().SequenceEqual(new[] { "data", "run" }),
                $"{what}: left in pg/: {string.Join(", ", Directory.GetFileSystemEntries(Path.Combine(home, "pg")).Select(Path.GetFileName))}");
        }
        finally
        {
            await PrivateClusterState.StopAsync(home);
        }
    }

    /// <summary>
    /// `db status` exits 0 exactly when PostgreSQL says a server of the folder runs and answers, which must be
    /// <paramref name="running"/> when given (null: either may hold). Returns whether it runs.
    /// </summary>
    private static async Task<bool> AssertStatusAsync(string home, bool? running, string when)
    {
        var status = await Gaugenn.RunAsync(new CliEnvironment(home, null), "db", "status");
        bool answering = await PrivateClusterState.AnsweringAsync(home) is not null;
        Assert.True(running is null || answering == running, $"{when}: PostgreSQL {(answering ? "answers" : "does not answer")}, expected it {(running == true ? "to" : "not to")}");
        Assert.True((status.Code == 0) == answering, $"{when}: db status is wrong: PostgreSQL {(answering ? "answers" : "does not answer")} but {status}");
        return answering;
    }

    /// <summary>Back to an empty store and warehouse on the same running cluster, for the next trial.</summary>
    private static async Task ResetAsync(string home, string postgres)
    {
        await using (var connection = new Npgsql.NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {GaugeNN.Warehouse.EventStore.GaugeStore.DefaultSchema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        foreach (var file in Directory.EnumerateFiles(home, "warehouse.duckdb*")) File.Delete(file);
        if (Directory.Exists(home + "-lake")) Directory.Delete(home + "-lake", recursive: true);
    }

    private string FreshHome(string name)
    {
        string home = Path.Combine(reference.Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)], "home");
        Directory.CreateDirectory(home);
        return home;
    }

    /// <summary>Waits for the kill point (spinning: some windows last milliseconds); false when the command finished first.</summary>
    private static async Task<bool> WaitForAsync(Gaugenn start, string home, KillPoint point)
    {
        if (point.At is { } at)
        {
            await Task.Delay(at);
            return !start.HasExited;
        }
        var limit = Stopwatch.StartNew();
        while (!start.HasExited)
        {
            if (point.Reached!(home, start.Pid)) return true;
            if (limit.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"db start did not reach the point '{point.Name}' in 2 minutes");
            Thread.Sleep(1);
        }
        throw new InvalidOperationException($"db start finished before the point '{point.Name}'");
    }

    /// <summary>The killed command's helpers (initdb, pg_ctl, runuser) finish on their own; a server among them stays.</summary>
    private static async Task WaitForExitAsync(IReadOnlyList<int> orphans, string what)
    {
        var limit = Stopwatch.StartNew();
        while (orphans.Any(p => Signals.IsAlive(p) && Signals.CommandName(p) != "postgres"))
        {
            Assert.True(limit.Elapsed < TimeSpan.FromMinutes(2), $"{what}: the killed start's helpers still run after 2 minutes");
            await Task.Delay(50);
        }
    }
}
