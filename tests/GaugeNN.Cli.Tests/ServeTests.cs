using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Cli.Tests;

/// <summary>
/// <c>gaugenn serve</c> stops cleanly on SIGTERM and on Ctrl-C (SIGINT): exit 0 within 5 s, the warehouse released
/// (the next <c>project</c> takes it); a busy port is said at once (exit 3).
/// </summary>
public sealed class ServeTests(Home home) : IClassFixture<Home>
{
    [Theory]
    [InlineData(Signals.Terminate)]
    [InlineData(Signals.Interrupt)]
    public async Task a_stop_signal_ends_serve_with_exit_0_within_5_s_and_releases_the_warehouse(int signal)
    {
        int port = Home.FreePort();
        await using var serve = home.Start("serve", "--port", $"{port}");
        await serve.WaitForAsync("GraphQL API: ", TimeSpan.FromMinutes(2), onStdout: true);
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            var answer = await http.PostAsJsonAsync("/graphql", new { query = "{ snapshots { id } }" });
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
            Assert.NotNull(JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["data"]!["snapshots"]);
        }

        var stopping = Stopwatch.StartNew();
        serve.Signal(signal);
        var outcome = await serve.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"serve took {stopping.Elapsed.TotalSeconds:0.0} s to stop");
        Assert.Contains("stopping: in-flight requests finish", outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr);

        // DuckDB was closed and the warehouse lock released: a one-off projection takes the file itself.
        var project = await home.RunAsync("project", "--json");
        Assert.True(project.ExitCode == 0, project.ToString());
        Assert.DoesNotContain("holds the warehouse", project.Stderr);
    }

    [Fact]
    public async Task a_busy_port_is_said_at_once_with_exit_3()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var outcome = await home.RunAsync("serve", "--port", $"{port}");
        Assert.True(outcome.ExitCode == 3, outcome.ToString());
        Assert.Equal($"gaugenn serve: cannot listen on 127.0.0.1:{port}: Address already in use (choose another with --port)\n", outcome.Stderr);
        Assert.Equal("", outcome.Stdout);

        // GAUGENN_DEBUG=1 adds where it happened.
        var debug = await Gaugenn.RunAsync(["serve", "--port", $"{port}"], new Dictionary<string, string?>(home.Env) { ["GAUGENN_DEBUG"] = "1" });
        Assert.True(debug.ExitCode == 3, debug.ToString());
        Assert.StartsWith($"gaugenn serve: cannot listen on 127.0.0.1:{port}", debug.Stderr);
        Assert.Contains("   at GaugeNN.", debug.Stderr);
    }
}
