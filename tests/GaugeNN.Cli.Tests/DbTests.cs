using System.Diagnostics;

namespace GaugeNN.Cli.Tests;

/// <summary>
/// <c>gaugenn db</c> on a private cluster of its own (GAUGENN_PG unset): <c>status</c> exits 0 only while the cluster
/// runs; and what a machine without PostgreSQL, or with a read-only data folder, is told. The last two run gaugenn in a
/// private mount namespace (root and unshare needed) where PostgreSQL's folder is hidden or the data folder read-only.
/// </summary>
public sealed class DbTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gaugenn-cli-db-").FullName;

    private Dictionary<string, string?> Env => new() { ["GAUGENN_HOME"] = _root };

    [Fact]
    public async Task status_exits_0_only_while_the_cluster_runs()
    {
        var notCreated = await Gaugenn.RunAsync(["db", "status", "--json"], Env);
        Assert.True(notCreated.ExitCode == 1, notCreated.ToString());
        Assert.Equal("notCreated", notCreated.Json()["state"]!.GetValue<string>());

        var started = await Gaugenn.RunAsync(["db", "start", "--json"], Env);
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Equal("running", started.Json()["state"]!.GetValue<string>());

        var running = await Gaugenn.RunAsync(["db", "status", "--json"], Env);
        Assert.True(running.ExitCode == 0, running.ToString());
        var status = running.Json();
        Assert.Equal("running", status["state"]!.GetValue<string>());
        Assert.StartsWith($"Host=127.0.0.1;Port={status["port"]!.GetValue<int>()};", status["connectionString"]!.GetValue<string>());
        Assert.Equal(Path.Combine(_root, "pg", "data"), status["dataDirectory"]!.GetValue<string>());

        var human = await Gaugenn.RunAsync(["db", "status"], Env);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.StartsWith("running on 127.0.0.1:", human.Stdout);

        var stop = await Gaugenn.RunAsync(["db", "stop"], Env);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("stopped\n", stop.Stdout);

        var stopped = await Gaugenn.RunAsync(["db", "status", "--json"], Env);
        Assert.True(stopped.ExitCode == 1, stopped.ToString());
        Assert.Equal("stopped", stopped.Json()["state"]!.GetValue<string>());

        var again = await Gaugenn.RunAsync(["db", "stop"], Env);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("was not running\n", again.Stdout);
    }

    [SkippableFact]
    public async Task without_postgresql_status_exits_3_naming_every_place_looked_and_the_install_command()
    {
        // PATH without PostgreSQL's tools, and every install folder gaugenn knows hidden behind an empty one.
        string empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var hidden = new[] { "/usr/lib/postgresql", "/usr/local/pgsql", "/opt/homebrew/opt", "/usr/local/opt" }
            .Concat(Directory.Exists("/usr") ? Directory.EnumerateDirectories("/usr", "pgsql-*") : []).Where(Directory.Exists);
        string mounts = string.Concat(hidden.Select(d => $"mount --bind '{empty}' '{d}' && "));
        var status = await InNamespaceAsync(mounts, ["db", "status"], Env);
        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.Contains("PostgreSQL's server binaries (initdb, pg_ctl) were not found", status.Stdout);
        Assert.Contains("Looked in: $GAUGENN_PG_BIN, `pg_config --bindir`, PATH, /usr/lib/postgresql/*/bin", status.Stdout);
        Assert.Contains("apt-get install -y postgresql", status.Stdout);

        var ingest = await InNamespaceAsync(mounts, ["ingest", "--snapshot", "2021-04", "samples/snapshots/2021-04"], Env);
        Assert.True(ingest.ExitCode == 3, ingest.ToString());
        Assert.StartsWith("gaugenn ingest: PostgreSQL's server binaries (initdb, pg_ctl) were not found", ingest.Stderr);
        Assert.Single(ingest.StderrLines);
    }

    [SkippableFact]
    public async Task a_read_only_data_folder_fails_at_once_with_exit_3()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, "read-only")).FullName;
        var env = new Dictionary<string, string?> { ["GAUGENN_HOME"] = folder };
        foreach (var verb in new[] { new[] { "project" }, ["db", "start"], ["export", "parquet", Path.Combine(_root, "out")] })
        {
            var outcome = await InNamespaceAsync($"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' && ", verb, env);
            Assert.True(outcome.ExitCode == 3, outcome.ToString());
            Assert.Contains($"the data folder {folder} is not writable", outcome.Stderr);
            Assert.Contains("set GAUGENN_HOME to a writable folder", outcome.Stderr);
            Assert.Single(outcome.StderrLines);
            Assert.True(outcome.Took < TimeSpan.FromSeconds(20), $"took {outcome.Took}"); // no lock wait
        }
    }

    /// <summary>gaugenn in a private mount namespace, after <paramref name="mounts"/> (shell commands ending in &&), with PATH=/nonexistent.</summary>
    private static async Task<Outcome> InNamespaceAsync(string mounts, string[] args, Dictionary<string, string?> env)
    {
        Skip.IfNot(Environment.UserName == "root" && File.Exists("/usr/bin/unshare"), "needs root and unshare (util-linux) for a private mount namespace");
        var probe = Process.Start(new ProcessStartInfo("/usr/bin/unshare", ["-m", "/bin/true"]) { RedirectStandardError = true })!;
        await probe.WaitForExitAsync();
        Skip.IfNot(probe.ExitCode == 0, "unshare -m is not permitted here (no CAP_SYS_ADMIN)");
        var start = Gaugenn.Command("/usr/bin/unshare",
            ["-m", "/bin/sh", "-c", mounts + "PATH=/nonexistent exec \"$@\"", "sh", Gaugenn.Dotnet, Gaugenn.Dll, .. args], env, viaDotnet: false);
        await using var process = new RunningGaugenn(start);
        return await process.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public void Dispose()
    {
        // The cluster of the first test, if a failure left it running.
        using (var stop = Process.Start(Gaugenn.Command(Gaugenn.Dotnet, ["db", "stop"], Env))!) stop.WaitForExit(60_000);
        Directory.Delete(_root, recursive: true);
    }
}
