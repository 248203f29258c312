using System.Globalization;
using GaugeNN.Events;
using Microsoft.ML.OnnxRuntime;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// The host runner's reading of a <see cref="BenchmarkConfig"/>: runtime <c>onnxruntime</c> on backend <c>cpu</c>;
/// Threads = intra-op threads (0 lets ORT choose); options <c>executionMode</c> = <c>sequential</c> (default) or
/// <c>parallel</c>, <c>interOpThreads</c>, <c>graphOptimization</c> = <c>disabled</c>, <c>basic</c>, <c>extended</c>,
/// <c>layout</c> or <c>all</c> (default), plus the input options of <see cref="InputSynthesis"/>.
/// </summary>
public static class HostOptions
{
    public const string Runtime = "onnxruntime";
    public const string Backend = "cpu";

    /// <summary>A config for the host runner with the given runs and threads.</summary>
    public static BenchmarkConfig Config(int warmupRuns = 5, int timedRuns = 50, int threads = 0, IReadOnlyDictionary<string, string>? options = null) =>
        new(Runtime, Backend, threads, warmupRuns, timedRuns, options ?? new Dictionary<string, string>());

    /// <summary>Refuses a config this runner cannot honour (a usage error, not a model's failure).</summary>
    public static void Validate(BenchmarkConfig config)
    {
        if (config.Runtime != Runtime) throw new ArgumentException($"the host runner runs {Runtime}, not {config.Runtime}");
        if (config.Backend != Backend) throw new ArgumentException($"the host runner's backend is {Backend}, not {config.Backend}");
        if (config.Threads < 0) throw new ArgumentException($"threads {config.Threads} is negative");
        if (config.WarmupRuns < 0) throw new ArgumentException($"warm-up runs {config.WarmupRuns} is negative");
        if (config.TimedRuns < 1) throw new ArgumentException($"timed runs {config.TimedRuns}: at least one is needed");
        foreach (var key in config.Options.Keys)
            if (key is not ("executionMode" or "interOpThreads" or "graphOptimization") && !key.StartsWith("shape.", StringComparison.Ordinal)
                && !key.StartsWith("dim.", StringComparison.Ordinal) && !key.StartsWith("fill.", StringComparison.Ordinal))
                throw new ArgumentException($"unknown host runner option '{key}'");
        using var _ = Session(config);
    }

    internal static SessionOptions Session(BenchmarkConfig config)
    {
        var options = new SessionOptions();
        try
        {
            // ORT's own log would print each failure on stderr before raising it; the failure carries the message.
            options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            options.IntraOpNumThreads = config.Threads;
            options.ExecutionMode = Get(config, "executionMode", "sequential") switch
            {
                "sequential" => ExecutionMode.ORT_SEQUENTIAL,
                "parallel" => ExecutionMode.ORT_PARALLEL,
                var other => throw new ArgumentException($"executionMode '{other}' is not sequential or parallel"),
            };
            var inter = Get(config, "interOpThreads", "0");
            options.InterOpNumThreads = int.TryParse(inter, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n : throw new ArgumentException($"interOpThreads '{inter}' is not a count");
            options.GraphOptimizationLevel = Get(config, "graphOptimization", "all") switch
            {
                "disabled" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                "layout" => GraphOptimizationLevel.ORT_ENABLE_LAYOUT,
                "all" => GraphOptimizationLevel.ORT_ENABLE_ALL,
                var other => throw new ArgumentException($"graphOptimization '{other}' is not disabled, basic, extended, layout or all"),
            };
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static string Get(BenchmarkConfig config, string key, string fallback) =>
        config.Options.TryGetValue(key, out var value) ? value : fallback;
}
