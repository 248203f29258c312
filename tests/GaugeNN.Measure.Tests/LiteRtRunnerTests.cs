using GaugeNN.Events;
using GaugeNN.Measure.Runners.Host;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Measure.Tests;

/// <summary>
/// The host TFLite runner on real parts: node, LiteRT.js installed by <c>npm ci</c> from tools/litert-runner's lock
/// file (once, into a folder shared by the test runs), and the sample TFLite models.
/// </summary>
public class LiteRtRunnerTests
{
    private static readonly LiteRtRunner Runner = new(TimeProvider.System, Path.Combine(Path.GetTempPath(), "gaugenn-litert-tests"));

    private static string Model(string name) => Path.Combine(RepositoryRoot.Fixture("models"), "tflite", name);

    [Fact]
    public async Task a_real_tflite_model_is_measured_with_every_figure_of_the_contract()
    {
        var config = LiteRtOptions.Config(warmupRuns: 2, timedRuns: 7);
        var outcome = await Runner.RunAsync(HostModel.FromFile("run-palm", "palm", Model("palm_detection_lite.tflite")), config, planId: "plan-1");
        var m = Assert.IsType<MeasurementRecorded>(outcome.Event);
        Assert.Equal(("run-palm", "plan-1", "palm", "host"), (m.RunId, m.PlanId, m.ModelSha256, m.DeviceId));
        Assert.Equal(("litert", "2.5.3", "xnnpack-wasm"), (m.Runtime, m.RuntimeVersion, m.Backend));
        Assert.Equal((1, 2, 7), (m.Threads, m.WarmupRuns, m.TimedRuns));
        MeasurementShape.AssertWellFormed(m, LiteRtRunner.Tool);
        Assert.Equal("1,192,192,3", m.Conditions["shape.input_1"]);
        Assert.StartsWith("litert_wasm_", m.Conditions["wasm"]);
    }

    [Fact]
    public async Task the_statistics_are_those_of_the_onnx_runner_over_the_same_number_of_timed_runs()
    {
        var outcome = await Runner.RunAsync(HostModel.FromFile("run-recrop", "recrop", Model("hand_recrop.tflite")), LiteRtOptions.Config(0, 11));
        var m = Assert.IsType<MeasurementRecorded>(outcome.Event);
        Assert.Equal(11, m.TimedRuns);
        Assert.Null(m.WarmupMeanMs);
        // Nearest rank over 11 samples: p50 is the 6th, p90 the 10th, p99 the 11th (the maximum).
        Assert.Equal(m.MaxMs, m.P99Ms);
    }

    [Fact]
    public async Task every_sample_tflite_model_is_measured_and_garbage_fails_with_litert_s_message_while_the_batch_goes_on()
    {
        var files = Directory.GetFiles(RepositoryRoot.Fixture("models"), "*.tflite", SearchOption.AllDirectories).Order().ToList();
        var models = files.Select((f, i) => HostModel.FromFile($"run-{i}", Path.GetFileName(f), f))
            .Prepend(HostModel.FromBytes("run-garbage", "garbage", [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]))
            .Prepend(HostModel.FromBytes("run-truncated", "truncated", File.ReadAllBytes(files[0])[..100])).ToList();
        var outcomes = new List<HostOutcome>();
        foreach (var model in models) outcomes.Add(await Runner.RunAsync(model, LiteRtOptions.Config(1, 3), attempt: 2));

        foreach (var failed in outcomes.Take(2).Select(o => o.Failure))
        {
            Assert.NotNull(failed);
            Assert.Equal(("host", "litert", "xnnpack-wasm", 2), (failed.DeviceId, failed.Runtime, failed.Backend, failed.Attempt));
            Assert.StartsWith("Failed to load model from buffer", failed.Reason); // LiteRT's own message
        }
        Assert.All(outcomes.Skip(2), o => Assert.True(o.Measurement is { TimedRuns: 3, P50Ms: > 0 }, o.Failure?.Reason));
    }

    [Fact]
    public async Task a_shape_option_of_the_wrong_rank_is_a_failure_naming_it()
    {
        var config = LiteRtOptions.Config(0, 1, new Dictionary<string, string> { ["shape.input_1"] = "1,2" });
        var outcome = await Runner.RunAsync(HostModel.FromFile("r", "palm", Model("palm_detection_lite.tflite")), config);
        Assert.Equal("option shape.input_1=1,2 has rank 2; the model declares rank 4", outcome.Failure?.Reason);
    }

    [Fact]
    public async Task a_fill_option_is_used_and_kept_in_the_conditions()
    {
        var config = LiteRtOptions.Config(0, 2, new Dictionary<string, string> { ["fill.input_1"] = "0.5" });
        var outcome = await Runner.RunAsync(HostModel.FromFile("r", "palm", Model("palm_detection_lite.tflite")), config);
        Assert.Equal("0.5", Assert.IsType<MeasurementRecorded>(outcome.Event).Conditions["fill.input_1"]);
    }

    [Fact]
    public async Task a_run_past_its_limit_is_killed_and_failed()
    {
        var slow = new LiteRtRunner(TimeProvider.System, Path.Combine(Path.GetTempPath(), "gaugenn-litert-tests")) { Limit = TimeSpan.FromSeconds(1) };
        await slow.EnsureInstalledAsync(CancellationToken.None);
        var outcome = await slow.RunAsync(HostModel.FromFile("r", "palm", Model("palm_detection_lite.tflite")), LiteRtOptions.Config(0, 1_000_000));
        Assert.Contains("did not finish within 1 s and was killed", outcome.Failure?.Reason);
    }

    [Fact]
    public async Task a_cancelled_run_throws_and_leaves_no_node_behind()
    {
        await Runner.EnsureInstalledAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Runner.RunAsync(HostModel.FromFile("r", "palm", Model("palm_detection_lite.tflite")), LiteRtOptions.Config(0, 1_000_000), cancellation: cancel.Token));
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("node"), p => ParentOf(p.Id) == Environment.ProcessId);
    }

    [Theory]
    [InlineData(2, "threads 2: LiteRT.js's WebAssembly build runs single-threaded (0 or 1)")]
    public void a_config_it_cannot_honour_is_refused(int threads, string said)
    {
        var config = LiteRtOptions.Config() with { Threads = threads };
        Assert.Equal(said, Assert.Throws<ArgumentException>(() => LiteRtOptions.Validate(config)).Message);
        var unknown = LiteRtOptions.Config(options: new Dictionary<string, string> { ["dim.batch"] = "4" });
        Assert.Contains("unknown host TFLite runner option 'dim.batch'", Assert.Throws<ArgumentException>(() => LiteRtOptions.Validate(unknown)).Message);
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
