using GaugeNN.Application;
using GaugeNN.Application.Hosting;

namespace GaugeNN.Cli.Commands;

public sealed class ServeCommand : ICommand
{
    public const int DefaultPort = 8642;

    public string Name => "serve";
    public string Usage => "serve [--port N]";
    public string Summary => $"run the warehouse host: follow the event store into DuckDB and serve GraphQL at http://127.0.0.1:PORT/graphql (default port {DefaultPort}) until Ctrl-C";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("port");
        int port = args.IntOption("port", DefaultPort);
        using var gauge = Services.Open(Services.Home());
        await ServeAsync(gauge, port, ct);
        return ExitCodes.Ok;
    }

    public static async Task ServeAsync(Gauge gauge, int port, CancellationToken ct)
    {
        WarehouseHost host;
        try
        {
            host = await WarehouseHost.StartAsync(gauge, new WarehouseHostOptions(port), ct);
        }
        catch (PortUnavailableException e)
        {
            throw new EnvironmentException(e.Message);
        }
        await using (host)
            await ServeUntilStoppedAsync(host, ct);
    }

    public static async Task ServeUntilStoppedAsync(WarehouseHost host, CancellationToken ct)
    {
        Console.WriteLine($"GraphQL API: {host.Url}/graphql (POST; explorer page at {host.Url}/, health at {host.Url}/healthz) — Ctrl-C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
