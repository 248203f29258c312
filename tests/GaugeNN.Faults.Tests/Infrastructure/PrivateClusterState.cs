using GaugeNN.Warehouse.Postgres;
using Npgsql;

namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>
/// The truth about a data folder's private PostgreSQL, asked of PostgreSQL itself and not of gaugenn: the postmaster
/// named in its lock file (<c>pg/data/postmaster.pid</c>) is a live <c>postgres</c> process, and a connection to the
/// port that file records succeeds.
/// </summary>
public static class PrivateClusterState
{
    public static string PidFile(string home) => Path.Combine(home, "pg", "data", "postmaster.pid");

    /// <summary>The live postmaster of the data folder's cluster, or null.</summary>
    public static int? Postmaster(string home)
    {
        var lines = Lines(home);
        return lines is [var first, ..] && int.TryParse(first.Trim(), out int pid) && pid > 0 && Signals.CommandName(pid) == "postgres"
            ? pid
            : null;
    }

    /// <summary>A connection string to the cluster when it runs and answers, else null.</summary>
    public static async Task<string?> AnsweringAsync(string home)
    {
        // postmaster.pid: line 1 PID, 2 data directory, 3 start time, 4 port.
        if (Postmaster(home) is null || Lines(home) is not [_, _, _, var portLine, ..] || !int.TryParse(portLine.Trim(), out int port))
            return null;
        string connection = new NpgsqlConnectionStringBuilder(PrivateCluster.ConnectionString(port)) { Pooling = false, Timeout = 5 }.ConnectionString;
        try
        {
            await using var probe = new NpgsqlConnection(connection);
            await probe.OpenAsync();
            return PrivateCluster.ConnectionString(port);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops whatever still runs for the data folder (a test that failed half-way): <c>db stop</c>, then SIGKILL of a
    /// postmaster that is left, so no server outlives its test.
    /// </summary>
    public static async Task StopAsync(string home)
    {
        if (!File.Exists(PidFile(home))) return;
        await Gaugenn.RunAsync(new CliEnvironment(home, null), "db", "stop");
        if (Postmaster(home) is { } left) Signals.Send(left, Signals.Kill);
    }

    private static string[]? Lines(string home)
    {
        try
        {
            return File.ReadAllLines(PidFile(home));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
