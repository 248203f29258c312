using System.Diagnostics;
using System.Reflection;
using GaugeNN.Events;
using Microsoft.ML.OnnxRuntime;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>A model for a host runner (ONNX Runtime or LiteRT.js): its run id and sha256 (decided by the caller) and its bytes or path.</summary>
public sealed record HostModel(string RunId, string ModelSha256, string? Path = null, byte[]? Bytes = null)
{
    public static HostModel FromFile(string runId, string modelSha256, string path) => new(runId, modelSha256, Path: path);

    public static HostModel FromBytes(string runId, string modelSha256, byte[] bytes) => new(runId, modelSha256, Bytes: bytes);
}

/// <summary>What one model's benchmark produced: a measurement, or the failure with the runtime's own message.</summary>
public sealed record HostOutcome(MeasurementRecorded? Measurement, BenchmarkFailed? Failure)
{
    public IGaugeEvent Event => (IGaugeEvent?)Measurement ?? Failure!;
}

/// <summary>Progress of a batch: models done of the total, and how the last one went.</summary>
public readonly record struct HostProgress(int Done, int Total, string ModelSha256, bool Succeeded);

/// <summary>
/// Benchmarks ONNX models in this process with ONNX Runtime on the CPU, the device <c>host</c>: session creation
/// (init), the first inference, warm-up runs, then the timed runs, each timed alone with the monotonic clock;
/// process peak RSS over the whole (see <see cref="PeakMemory"/>). A model ORT cannot load or run becomes a
/// <see cref="BenchmarkFailed"/> carrying ORT's message; nothing but cancellation escapes a batch.
/// </summary>
public sealed class HostRunner(TimeProvider time)
{
    public const string DeviceId = "host";
    public const string Tool = "gaugenn-host";

    /// <summary>The ONNX Runtime the runner is linked with (e.g. 1.31.1).</summary>
    public static string OrtVersion { get; } = OrtEnv.Instance().GetVersionString();

    private static readonly string ToolVersion =
        typeof(HostRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    public IReadOnlyList<HostOutcome> RunAll(
        IReadOnlyList<HostModel> models, BenchmarkConfig config, Action<HostProgress>? progress = null, string? planId = null,
        CancellationToken cancellation = default)
    {
        HostOptions.Validate(config);
        var outcomes = new List<HostOutcome>(models.Count);
        foreach (var model in models)
        {
            var outcome = Run(model, config, planId, attempt: 1, cancellation);
            outcomes.Add(outcome);
            progress?.Invoke(new HostProgress(outcomes.Count, models.Count, model.ModelSha256, outcome.Measurement is not null));
        }
        return outcomes;
    }

    public HostOutcome Run(HostModel model, BenchmarkConfig config, string? planId = null, int attempt = 1, CancellationToken cancellation = default)
    {
        HostOptions.Validate(config);
        if ((model.Path is null) == (model.Bytes is null)) throw new ArgumentException("give a model's path or its bytes, not both or neither");
        try
        {
            return new HostOutcome(Measure(model, config, planId, cancellation), null);
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception e)
        {
            // OnnxRuntimeException carries ORT's own message; ours (input synthesis, I/O) say what they could not do.
            var reason = e is OnnxRuntimeException or NotSupportedException or ArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            return new HostOutcome(null, new BenchmarkFailed(model.RunId, planId, model.ModelSha256, DeviceId, HostOptions.Runtime,
                HostOptions.Backend, config.Threads, reason, attempt, time.GetUtcNow()));
        }
    }

    private MeasurementRecorded Measure(HostModel model, BenchmarkConfig config, string? planId, CancellationToken cancellation)
    {
        bool peakReset = PeakMemory.Reset();
        using var session = OrtSession.Open(model, config);
        cancellation.ThrowIfCancellationRequested();
        double first = Time(session);
        var warmup = new double[config.WarmupRuns];
        for (int i = 0; i < warmup.Length; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            warmup[i] = Time(session);
        }
        var timedStart = time.GetUtcNow();
        var timed = TimedLoop(session, config.TimedRuns, cancellation);
        var timedEnd = time.GetUtcNow();
        double? peak = peakReset ? PeakMemory.PeakMb() : null;
        var stats = TimingStats.Of(timed);

        var conditions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["executionMode"] = config.Options.GetValueOrDefault("executionMode", "sequential"),
            ["graphOptimization"] = config.Options.GetValueOrDefault("graphOptimization", "all"),
            ["peakMemory"] = peakReset ? "process VmHWM, reset through /proc/self/clear_refs" : "unavailable",
            ["percentiles"] = "nearest rank",
        };
        foreach (var (input, shape) in session.InputShapes) conditions[$"shape.{input}"] = shape;
        foreach (var (key, value) in config.Options)
            if (key.StartsWith("fill.", StringComparison.Ordinal) || key.StartsWith("dim.", StringComparison.Ordinal)) conditions[key] = value;
        if (config.Options.TryGetValue("interOpThreads", out var inter)) conditions["interOpThreads"] = inter;

        return new MeasurementRecorded(model.RunId, planId, model.ModelSha256, DeviceId, HostOptions.Runtime, OrtVersion,
            HostOptions.Backend, Delegation: null, DelegateKernels: null, config.Threads, config.WarmupRuns, config.TimedRuns,
            session.InitMs, first, warmup.Length > 0 ? warmup.Average() : null, stats.MeanMs, stats.StdMs, stats.MinMs,
            stats.MaxMs, P5Ms: null, stats.P50Ms, stats.P90Ms, P95Ms: null, stats.P99Ms, peak,
            EnergyMjPerInference: null, AvgPowerMw: null, PowerSamples: null, PowerSampleHz: null, TempBeforeC: null,
            TempAfterC: null, timedStart, timedEnd, Tool, ToolVersion, "measured", SourceFile: null, SourceSha256: null,
            conditions, time.GetUtcNow());
    }

    /// <summary>The timed loop: each inference timed alone (bench/Measure.Bench holds it beside a bare Run loop).</summary>
    internal static double[] TimedLoop(OrtSession session, int runs, CancellationToken cancellation)
    {
        var timed = new double[runs];
        for (int i = 0; i < timed.Length; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            timed[i] = Time(session);
        }
        return timed;
    }

    /// <summary>One inference timed alone, in milliseconds (Stopwatch: the monotonic high-resolution clock).</summary>
    private static double Time(OrtSession session)
    {
        long start = Stopwatch.GetTimestamp();
        session.Run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
