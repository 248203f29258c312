using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaugeNN.Events;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// Benchmarks TFLite models on the host with LiteRT.js under node (tools/litert-runner/runner.mjs): the model's bytes
/// go to the runner's stdin (nothing from an APK is executed, and no file is written), the runner times the compile
/// (init), the first inference, warm-up and timed runs, each alone, and prints them as one JSON line; the statistics
/// are <see cref="TimingStats"/>, as for ONNX Runtime. Peak memory is the node process's RSS high-water (its
/// getrusage maxRSS: node's and LiteRT's baseline included). A model LiteRT cannot load or run becomes a
/// <see cref="BenchmarkFailed"/> with LiteRT's own message; a run past <see cref="Limit"/> is killed and failed.
/// </summary>
public sealed class LiteRtRunner(TimeProvider time, string installFolder)
{
    public const string Tool = "gaugenn-litert-runner";

    private static readonly string ToolVersion =
        typeof(LiteRtRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>The longest one model's benchmark may take, node's start and LiteRT's load included.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Installs the runner when needed (said through <paramref name="installing"/>); throws <see cref="LiteRtUnavailableException"/> when it cannot run here.</summary>
    public Task<string> EnsureInstalledAsync(CancellationToken cancellation, Action<string>? installing = null) =>
        LiteRtInstall.EnsureAsync(installFolder, installing, cancellation);

    public async Task<HostOutcome> RunAsync(HostModel model, BenchmarkConfig config, string? planId = null, int attempt = 1,
        CancellationToken cancellation = default)
    {
        LiteRtOptions.Validate(config);
        if ((model.Path is null) == (model.Bytes is null)) throw new ArgumentException("give a model's path or its bytes, not both or neither");
        string runner = await EnsureInstalledAsync(cancellation);
        byte[] bytes = model.Bytes ?? await File.ReadAllBytesAsync(model.Path!, cancellation);
        var request = new JsonObject
        {
            ["warmupRuns"] = config.WarmupRuns,
            ["timedRuns"] = config.TimedRuns,
            ["options"] = new JsonObject(config.Options.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
        };
        ChildResult result;
        try
        {
            result = await ChildProcess.RunAsync(Executables.OnPath("node") ?? "node", ["runner.mjs", request.ToJsonString()], runner, bytes, Limit, cancellation);
        }
        catch (ChildTimeoutException e)
        {
            return Failed(model, config, planId, attempt, e.Message);
        }
        if (Answer(result.Stdout) is not { } answer)
            return Failed(model, config, planId, attempt, $"the runner ended ({result.ExitCode}) without a result: {Errors(result.Stderr, all: true)}");
        if (answer["ok"]?.GetValue<bool>() != true)
        {
            string errors = Errors(result.Stderr, all: false);
            return Failed(model, config, planId, attempt, (string?)answer["error"] + (errors.Length > 0 ? $" ({errors})" : ""));
        }
        return new HostOutcome(Measurement(model, config, planId, answer), null);
    }

    private MeasurementRecorded Measurement(HostModel model, BenchmarkConfig config, string? planId, JsonNode answer)
    {
        DateTimeOffset At(string name) => DateTimeOffset.UnixEpoch.AddMilliseconds(answer[name]!.GetValue<double>());
        double[] Times(string name) => answer[name]!.AsArray().Select(t => t!.GetValue<double>()).ToArray();
        var warmup = Times("warmupMs");
        var stats = TimingStats.Of(Times("timedMs"));
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["wasm"] = (string)answer["wasm"]!,
            ["node"] = (string)answer["node"]!,
            ["runtimeLoadMs"] = answer["loadMs"]!.GetValue<double>().ToString("0.###", CultureInfo.InvariantCulture),
            ["peakMemory"] = "node process maxRSS (getrusage), its whole life",
            ["percentiles"] = "nearest rank",
        };
        foreach (var (input, shape) in answer["inputs"]!.AsObject()) conditions[$"shape.{input}"] = (string)shape!;
        foreach (var (key, value) in config.Options)
            if (key.StartsWith("fill.", StringComparison.Ordinal)) conditions[key] = value;

        return new MeasurementRecorded(model.RunId, planId, model.ModelSha256, HostRunner.DeviceId, LiteRtOptions.Runtime,
            (string?)answer["runtimeVersion"], LiteRtOptions.Backend, Delegation: null, DelegateKernels: null, Threads: 1,
            config.WarmupRuns, config.TimedRuns, answer["initMs"]!.GetValue<double>(), answer["firstMs"]!.GetValue<double>(),
            warmup.Length > 0 ? warmup.Average() : null, stats.MeanMs, stats.StdMs, stats.MinMs, stats.MaxMs, P5Ms: null,
            stats.P50Ms, stats.P90Ms, P95Ms: null, stats.P99Ms, answer["peakRssMb"]!.GetValue<double>(),
            EnergyMjPerInference: null, AvgPowerMw: null, PowerSamples: null, PowerSampleHz: null, TempBeforeC: null,
            TempAfterC: null, At("timedStart"), At("timedEnd"), Tool, ToolVersion, "measured", SourceFile: null, SourceSha256: null,
            conditions, time.GetUtcNow());
    }

    private HostOutcome Failed(HostModel model, BenchmarkConfig config, string? planId, int attempt, string reason) =>
        new(null, new BenchmarkFailed(model.RunId, planId, model.ModelSha256, HostRunner.DeviceId, LiteRtOptions.Runtime,
            LiteRtOptions.Backend, config.Threads, reason, attempt, time.GetUtcNow()));

    /// <summary>The runner's JSON line: the last line of stdout (nothing else writes there).</summary>
    private static JsonNode? Answer(string stdout)
    {
        string? last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            return last is null ? null : JsonNode.Parse(last);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>LiteRT's own <c>ERROR:</c> lines (its INFO and WARNING chatter left out), or the end of stderr when asked for all.</summary>
    private static string Errors(string stderr, bool all)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)).ToList();
        return string.Join("; ", errors.Count > 0 || !all ? errors : lines.TakeLast(5));
    }
}
