using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Cli.Tests;

/// <summary>
/// <c>gaugenn demo</c> as the README runs it, on a data folder of its own: first against a busy port (refused before
/// any work), then with <c>--no-serve --json</c>, then serving until SIGTERM. The runs happen once, in order; the
/// tests read what they printed.
/// </summary>
public sealed class Demo : Home
{
    public int BusyPort { get; private set; }
    public Outcome Busy { get; private set; } = null!;
    public Outcome Json { get; private set; } = null!;
    public Outcome Served { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using (var taken = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            taken.Start();
            BusyPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            Busy = await RunAsync("demo", "--port", $"{BusyPort}");
        }
        Json = await RunAsync("demo", "--no-serve", "--json");
        await using var serving = Start("demo", "--port", $"{FreePort()}");
        await serving.WaitForAsync("GraphQL API: ", TimeSpan.FromMinutes(3), onStdout: true);
        serving.Signal(Signals.Terminate);
        Served = await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

public sealed class DemoTests(Demo demo) : IClassFixture<Demo>
{
    [Fact]
    public void a_busy_port_is_said_before_any_ingest()
    {
        Assert.True(demo.Busy.ExitCode == 3, demo.Busy.ToString());
        Assert.Equal($"gaugenn demo: cannot listen on 127.0.0.1:{demo.BusyPort}: Address already in use (choose another with --port)\n", demo.Busy.Stderr);
        Assert.DoesNotContain("snapshot ", demo.Busy.Stdout);
        // Nothing was ingested: the next demo appended the samples' facts itself.
        Assert.All(demo.Json.Json()["ingests"]!.AsArray(), i => Assert.True(i!["eventsAppended"]!.GetValue<int>() > 0));
    }

    [Fact]
    public void the_json_demo_reports_the_snapshots_and_benches_the_sample_onnx_and_tflite_models_on_the_host()
    {
        Assert.True(demo.Json.ExitCode == 0, demo.Json.ToString());
        var report = demo.Json.Json();
        var snapshots = report["snapshots"]!.AsArray();
        Assert.Equal(["2020-02", "2021-04"], snapshots.Select(s => s!["id"]!.GetValue<string>()));
        // The figures CI greps from the human table (.ci/run), here from the JSON document.
        Assert.Equal([12, 11, 12, 1, 10], Figures(snapshots[0]!));
        Assert.Equal([14, 12, 14, 1, 12], Figures(snapshots[1]!));
        Assert.Null(report["apiUrl"]);

        var all = report["bench"]!["runs"]!.AsArray();
        Assert.All(all, r => Assert.Equal("host", r!["deviceId"]!.GetValue<string>()));
        var runs = all.Where(r => r!["runtime"]!.GetValue<string>() == "onnxruntime").ToList();
        Assert.Equal(3, runs.Count); // the distinct ONNX models of the two sample snapshots
        Assert.Equal(2, runs.Count(r => r!["status"]!.GetValue<string>() == "measured"));

        // The six distinct TFLite models (the MediaPipe ones and the int8-weight variant), each on LiteRT.js only.
        var tflite = all.Where(r => r!["runtime"]!.GetValue<string>() == "litert").ToList();
        Assert.Equal(6, tflite.Count);
        Assert.Equal(9, all.Count);
        Assert.All(tflite, r =>
        {
            Assert.True(r!["status"]!.GetValue<string>() == "measured", r.ToJsonString());
            var m = r["measurement"]!;
            Assert.Equal(("litert", "2.5.3", "xnnpack-wasm", 20), (m["runtime"]!.GetValue<string>(), m["runtimeVersion"]!.GetValue<string>(),
                m["backend"]!.GetValue<string>(), m["timedRuns"]!.GetValue<int>()));
            Assert.True(m["p50Ms"]!.GetValue<double>() > 0 && m["p50Ms"]!.GetValue<double>() <= m["p90Ms"]!.GetValue<double>());
        });
        // silero_vad_v5 needs its sr input and a real audio frame; with the demo's defaults ORT refuses it, and says why.
        var failed = runs.Single(r => r!["status"]!.GetValue<string>() == "failed")!;
        Assert.Null(failed["measurement"]);
        Assert.Contains("ErrorCode", failed["reason"]!.GetValue<string>());
    }

    private static long[] Figures(JsonNode s) =>
        new[] { "apps", "dlApps", "modelFiles", "encryptedModelFiles", "uniqueModels" }.Select(k => s[k]!.GetValue<long>()).ToArray();

    [Fact]
    public void the_second_demo_appends_nothing_prints_both_tables_and_stops_on_sigterm_with_exit_0()
    {
        var served = demo.Served;
        Assert.True(served.ExitCode == 0, served.ToString());
        Assert.Equal(2, Regex.Matches(served.Stdout, @"(?m)^snapshot \S+: \d+ apps read, 0 with new facts, \d+ unchanged, 0 events appended, ").Count);
        Assert.Matches(@"(?m)^2020-02 +12 +11 +12 +1 +10 ", served.Stdout); // .ci/run greps these lines
        Assert.Matches(@"(?m)^2021-04 +14 +12 +14 +1 +12 ", served.Stdout);
        Assert.Matches(@"(?m)^plan demo-[0-9a-f]{8}: 9 runs — ", served.Stdout);
        Assert.Matches(@"(?m)^model\s+device\s+runtime\s+status\s+p50 ms\s+mean ms\s+init ms\s+reason$", served.Stdout);
        Assert.Equal(2, Regex.Matches(served.Stdout, @"(?m)^[0-9a-f]{12}  host    onnxruntime  already measured\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d\s*$").Count);
        Assert.Equal(6, Regex.Matches(served.Stdout, @"(?m)^[0-9a-f]{12}  host    litert       already measured\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d\s*$").Count);
        Assert.Matches(@"(?m)^GraphQL API: http://127\.0\.0\.1:\d+/graphql ", served.Stdout);
        Assert.Contains("stopping: in-flight requests finish", served.Stderr);
    }
}
