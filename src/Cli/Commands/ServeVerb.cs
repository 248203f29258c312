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
        var port = Options.Port(DefaultPort, "the port to serve GraphQL on");
        var address = Options.Checked("--address", "the address to listen on (default 127.0.0.1; any other needs --api-key-file)", "IP",
            text => System.Net.IPAddress.TryParse(text, out _) ? text : throw new FormatException($"'{text}' is not an IP address"));
        var apiKey = Options.Checked("--api-key-file", "a file whose first line is the API key every data request must carry (Authorization: Bearer KEY)", "FILE",
            text => File.Exists(text) ? Path.GetFullPath(text) : throw new FormatException($"'{text}' does not exist"));
        var cors = Options.Repeated("--cors-origin", "an origin browsers may call the API from (repeat for more; default: none)", "ORIGIN",
            text => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? text.TrimEnd('/') : throw new FormatException($"'{text}' is not an http(s) origin"));
        return Verb.Create("serve",
            "Run the warehouse host: follow the event store into DuckDB and serve GraphQL at http://127.0.0.1:PORT/graphql until Ctrl-C or SIGTERM.",
            [port, address, apiKey, cors],
            async run =>
            {
                using var gauge = Services.Open(Services.Home());
                var options = new WarehouseHostOptions(run.Get(port), run.Get(address) ?? "127.0.0.1")
                {
                    ApiKeyFile = run.Get(apiKey), CorsOrigins = run.Get(cors),
                };
                await using var host = await StartAsync(gauge, options, run.Stop);
                await ServeUntilStoppedAsync(run, host);
                return ExitCodes.Ok;
            }, reports: false);
    }

    /// <summary>Starts the host; a port that cannot be listened on, or options it refuses, are said before any work.</summary>
    public static async Task<WarehouseHost> StartAsync(Gauge gauge, WarehouseHostOptions options, CancellationToken ct)
    {
        try
        {
            return await WarehouseHost.StartAsync(gauge, options, ct);
        }
        catch (PortUnavailableException e)
        {
            throw new EnvironmentException(e.Message);
        }
        catch (HostOptionsException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Serves until the stop signal; the caller's disposal of the host lets in-flight requests finish and closes DuckDB.</summary>
    public static async Task ServeUntilStoppedAsync(Invocation run, WarehouseHost host)
    {
        string line = $"GraphQL API: {host.Url}/graphql (POST or GET; dashboard at {host.Url}/, GraphiQL at {host.Url}/graphiql, health at {host.Url}/healthz) — Ctrl-C or SIGTERM stops";
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
