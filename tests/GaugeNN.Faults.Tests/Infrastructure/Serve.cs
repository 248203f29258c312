using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>A running `gaugenn serve` (the warehouse host) on a free loopback port, reached over GraphQL.</summary>
public sealed class Serve : IDisposable
{
    private Serve(Gaugenn process, int port)
    {
        Process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public Gaugenn Process { get; }
    public HttpClient Http { get; }
    public int Pid => Process.Pid;

    /// <summary>Starts the host; it is not waited for (a test may kill it while it starts).</summary>
    public static Serve Start(CliEnvironment at)
    {
        int port = FreePort();
        return new Serve(Gaugenn.Start(at, "serve", "--port", $"{port}"), port);
    }

    /// <summary>Posts a query; the status code and the answer's bytes as they came.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> PostAsync(string query)
    {
        using var response = await Http.PostAsJsonAsync("/graphql", new { query });
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// Waits until the host answers <c>{ snapshots { … } }</c> with what the reference's <c>dim_snapshot</c> holds
    /// (a projection step is one transaction: then every table holds the whole catch-up).
    /// </summary>
    public async Task WaitCaughtUpAsync(Reference reference, TimeSpan? limit = null)
    {
        var expected = JsonNode.Parse(reference.Tables["dim_snapshot"].Single())!;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Process.HasExited) throw new InvalidOperationException($"serve exited:\n{Process.Output}");
            try
            {
                var (status, body) = await PostAsync("{ snapshots { id apps modelFiles uniqueModels } }");
                var snapshots = status == HttpStatusCode.OK ? JsonNode.Parse(body)?["data"]?["snapshots"]?.AsArray() : null;
                if (snapshots is [{ } s] && (string?)s["id"] == Reference.Snapshot && (long?)s["apps"] == (long)expected["apps"]!
                    && (long?)s["modelFiles"] == (long)expected["model_files"]! && (long?)s["uniqueModels"] == (long)expected["unique_models"]!)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (clock.Elapsed > (limit ?? TimeSpan.FromMinutes(3))) throw new TimeoutException($"serve did not catch up:\n{Process.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the host as systemd and container runtimes do (SIGTERM), and returns its exit.</summary>
    public async Task<CliExit> StopAsync()
    {
        Process.Terminate();
        return await Process.ExitAsync(TimeSpan.FromSeconds(60));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Http.Dispose();
        Process.Dispose();
    }
}
