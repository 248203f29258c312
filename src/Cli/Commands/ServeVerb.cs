using System.CommandLine;
using GaugeNN.Application;
using GaugeNN.Application.Hosting;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;

namespace GaugeNN.Cli.Commands;

/// <summary><c>gaugenn serve</c>: the warehouse host until Ctrl-C or SIGTERM, which stop it cleanly (exit 0).</summary>
public static class ServeVerb
{
    public const int DefaultPort = 8642;

    public static Command Build()
    {
        var port = Options.Port(DefaultPort, "the loopback port to serve GraphQL on");
        return Verb.Create("serve",
            "Run the warehouse host: follow the event store into DuckDB and serve GraphQL at http://127.0.0.1:PORT/graphql until Ctrl-C or SIGTERM.",
            [port],
            async run =>
            {
                using var gauge = Services.Open(Services.Home());
                await using var host = await StartAsync(gauge, run.Get(port), run.Stop);
                await ServeUntilStoppedAsync(run, host);
                return ExitCodes.Ok;
            }, reports: false);
    }

    /// <summary>Starts the host; a port that cannot be listened on is said before any work.</summary>
    public static async Task<WarehouseHost> StartAsync(Gauge gauge, int port, CancellationToken ct)
    {
        try
        {
            return await WarehouseHost.StartAsync(gauge, new WarehouseHostOptions(port), ct);
        }
        catch (PortUnavailableException e)
        {
            throw new EnvironmentException(e.Message);
        }
    }

    /// <summary>Serves until the stop signal; the caller's disposal of the host lets in-flight requests finish and closes DuckDB.</summary>
    public static async Task ServeUntilStoppedAsync(Invocation run, WarehouseHost host)
    {
        string line = $"GraphQL API: {host.Url}/graphql (POST; explorer page at {host.Url}/, health at {host.Url}/healthz) — Ctrl-C or SIGTERM stops";
        if (run.Json) Console.Error.WriteLine(line); // stdout holds the JSON document alone
        else Console.WriteLine(line);
        try
        {
            await Task.Delay(Timeout.Infinite, run.Stop);
        }
        catch (OperationCanceledException)
        {
            run.Note($"stopping: in-flight requests finish (at most {WarehouseHost.ShutdownGrace.TotalSeconds:0} s), then the warehouse is closed");
        }
    }
}
