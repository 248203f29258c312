using GaugeNN.Application;

namespace GaugeNN.Cli.Commands;

public sealed class DbCommand : ICommand
{
    public string Name => "db";
    public string Usage => "db status|start|stop";
    public string Summary => "the private PostgreSQL cluster under the data folder (unused when GAUGENN_PG is set)";

    public Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown();
        var cluster = Services.Home().Cluster;
        if (DataFolder.SharedPostgres is not null)
            Console.WriteLine($"note: {DataFolder.PostgresVariable} is set, so gaugenn uses that server, not this cluster");
        try
        {
            switch (args.Positionals)
            {
                case ["status"]:
                    var status = cluster.Status();
                    Console.WriteLine(status);
                    return Task.FromResult(status.State switch
                    {
                        Warehouse.Postgres.ClusterState.Running => ExitCodes.Ok,
                        Warehouse.Postgres.ClusterState.NotInstalled => ExitCodes.Environment,
                        _ => ExitCodes.Failed,
                    });
                case ["start"]:
                    Console.WriteLine(cluster.EnsureRunning());
                    break;
                case ["stop"]:
                    Console.WriteLine(cluster.Stop() ? "stopped" : "was not running");
                    break;
                default:
                    throw new UsageException("expected status, start or stop");
            }
        }
        catch (InvalidOperationException e)
        {
            throw new EnvironmentException(e.Message);
        }
        return Task.FromResult(ExitCodes.Ok);
    }
}
