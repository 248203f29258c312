using GaugeNN.Api;

namespace GaugeNN.Cli.Commands;

public sealed class ServeCommand : ICommand
{
    public const int DefaultPort = 8642;

    public string Name => "serve";
    public string Usage => "serve [--port N]";
    public string Summary => $"serve GraphQL at POST http://127.0.0.1:PORT/graphql (default port {DefaultPort}) until Ctrl-C";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("port");
        var home = Services.Home();
        if (!File.Exists(home.DuckDbFile))
            throw new UsageException($"no warehouse at {home.DuckDbFile}: run `gaugenn project` first");
        await ServeAsync(home.DuckDbFile, args.IntOption("port", DefaultPort), ct);
        return ExitCodes.Ok;
    }

    public static async Task ServeAsync(string duckDbFile, int port, CancellationToken ct)
    {
        await using var app = ApiHost.Build(duckDbFile, port);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            throw new EnvironmentException($"cannot listen on 127.0.0.1:{port}: {e.Message} (choose another with --port)");
        }
        Console.WriteLine($"GraphQL API: http://127.0.0.1:{port}/graphql (POST; explorer page at http://127.0.0.1:{port}/) — Ctrl-C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
    }
}
