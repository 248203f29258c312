using GaugeNN.Events;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// The host TFLite runner's reading of a <see cref="BenchmarkConfig"/>: runtime <c>litert</c> (LiteRT.js, the
/// WebAssembly build of LiteRT, under node) on backend <c>xnnpack-wasm</c> (its CPU kernels). The WebAssembly build it
/// runs is single-threaded, so Threads is 0 (the runtime's choice) or 1. Options: <c>shape.&lt;input&gt;</c> and
/// <c>fill.&lt;input&gt;</c> as for ONNX Runtime (<see cref="InputSynthesis"/>); TFLite names no symbolic dimensions,
/// so there is no <c>dim.</c>.
/// </summary>
public static class LiteRtOptions
{
    public const string Runtime = "litert";
    public const string Backend = "xnnpack-wasm";

    public static BenchmarkConfig Config(int warmupRuns = 5, int timedRuns = 50, IReadOnlyDictionary<string, string>? options = null) =>
        new(Runtime, Backend, 1, warmupRuns, timedRuns, options ?? new Dictionary<string, string>());

    /// <summary>Whether LiteRT.js reads the option (the others of a host bench are ONNX Runtime's).</summary>
    public static bool Knows(string option) =>
        option.StartsWith("shape.", StringComparison.Ordinal) || option.StartsWith("fill.", StringComparison.Ordinal);

    /// <summary>Refuses a config this runner cannot honour (a usage error, not a model's failure).</summary>
    public static void Validate(BenchmarkConfig config)
    {
        if (config.Runtime != Runtime) throw new ArgumentException($"the host TFLite runner runs {Runtime}, not {config.Runtime}");
        if (config.Backend != Backend) throw new ArgumentException($"the host TFLite runner's backend is {Backend}, not {config.Backend}");
        if (config.Threads is not (0 or 1)) throw new ArgumentException($"threads {config.Threads}: LiteRT.js's WebAssembly build runs single-threaded (0 or 1)");
        if (config.WarmupRuns < 0) throw new ArgumentException($"warm-up runs {config.WarmupRuns} is negative");
        if (config.TimedRuns < 1) throw new ArgumentException($"timed runs {config.TimedRuns}: at least one is needed");
        foreach (var key in config.Options.Keys)
            if (!Knows(key)) throw new ArgumentException($"unknown host TFLite runner option '{key}' (it reads shape.<input> and fill.<input>)");
    }
}
