using System.CommandLine;
using GaugeNN.Application;
using GaugeNN.Cli.Running;
using GaugeNN.Warehouse.Postgres;

namespace GaugeNN.Cli.Commands;

/// <summary><c>gaugenn db status|start|stop</c>: the private PostgreSQL cluster under the data folder.</summary>
public static class DbVerb
{
    public static Command Build() => Verb.Group("db",
        $"The private PostgreSQL cluster under the data folder (unused when {DataFolder.PostgresVariable} is set). Its binaries are found through " +
        $"{PrivateCluster.BinariesVariable}, `pg_config --bindir`, PATH, then the usual install folders.",
        Verb.Create("status", "Say whether the cluster runs (exit 0), is stopped or not created yet (exit 1), or PostgreSQL is not installed (exit 3).", [],
            run =>
            {
                WarnShared(run);
                var status = DataFolder.FromEnvironment().Cluster.Status();
                run.Report(status, to => to.WriteLine(status));
                return Task.FromResult(status.State switch
                {
                    ClusterState.Running => ExitCodes.Ok,
                    ClusterState.NotInstalled => ExitCodes.Environment,
                    _ => ExitCodes.Failed,
                });
            }),
        Verb.Create("start", "Start the cluster (creating it on first use) and print its connection string.", [],
            run =>
            {
                WarnShared(run);
                var cluster = Services.Home().Cluster;
                string connection = Cluster(cluster.EnsureRunning);
                run.Report(cluster.Status(), to => to.WriteLine(connection));
                return Task.FromResult(ExitCodes.Ok);
            }),
        Verb.Create("stop", "Stop the cluster (a fast shutdown: open transactions roll back; everything committed stays).", [],
            run =>
            {
                WarnShared(run);
                var cluster = Services.Home().Cluster;
                bool stopped = Cluster(cluster.Stop);
                run.Report(cluster.Status(), to => to.WriteLine(stopped ? "stopped" : "was not running"));
                return Task.FromResult(ExitCodes.Ok);
            }));

    private static void WarnShared(Invocation run)
    {
        if (DataFolder.SharedPostgres is not null)
            run.Note($"note: {DataFolder.PostgresVariable} is set, so gaugenn uses that server, not this cluster");
    }

    /// <summary>The cluster's failures (not installed, not writable, did not start) are the machine's: exit 3.</summary>
    private static T Cluster<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new EnvironmentException(e.Message);
        }
    }
}
