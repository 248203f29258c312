using GaugeNN.Events;
using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>
/// TensorFlow Lite's <c>benchmark_model</c> (flags as in shared/design/benchmark-outputs.md): backends <c>cpu</c>,
/// <c>xnnpack</c>, <c>gpu</c>, <c>nnapi</c>, <c>hexagon</c>; option <c>opProfiling=true</c> adds the per-operator
/// table. Its timed loop is the second "Running benchmark for at least" line up to the <c>count=</c> line after it.
/// </summary>
public sealed class TfliteDeviceRunner : DeviceRunner
{
    private const string Binary = "benchmark_model";

    public override string Runtime => "tflite";
    public override IReadOnlyList<string> Formats => ["tflite"];
    public override IReadOnlyList<string> Backends => ["cpu", "xnnpack", "gpu", "nnapi", "hexagon"];

    public override IReadOnlyList<DeviceTool> Tools(DeviceToolsFolder tools, string abi) => [tools.Binary(Binary, abi)];

    public override string Command(string modelPath, BenchmarkConfig config)
    {
        var args = new List<string> { $"{BinFolder}/{Binary}", $"--graph={modelPath}", $"--num_threads={(config.Threads == 0 ? -1 : config.Threads)}",
            $"--num_runs={config.TimedRuns}", $"--warmup_runs={config.WarmupRuns}", "--min_secs=0", "--warmup_min_secs=0" };
        args.AddRange(config.Backend switch
        {
            "xnnpack" => ["--use_xnnpack=true"],
            "gpu" => ["--use_gpu=true"],
            "nnapi" => ["--use_nnapi=true"],
            "hexagon" => ["--use_hexagon=true"],
            _ => ["--use_xnnpack=false"],
        });
        if (config.Options.TryGetValue("opProfiling", out var profile) && profile == "true") args.Add("--enable_op_profiling=true");
        return string.Join(' ', args.Select(Quote));
    }

    public override Func<string, LoopMark> NewLoopMarker()
    {
        int running = 0;
        return line =>
        {
            if (line.Contains("Running benchmark for at least", StringComparison.Ordinal))
                return ++running == 2 ? LoopMark.Begins : LoopMark.None;
            return running == 2 && line.Contains("count=", StringComparison.Ordinal) ? LoopMark.Ends : LoopMark.None;
        };
    }

    public override ImportedRun Parse(string stdout, string stderr) => TfliteBenchmarkLog.Parse(stdout);
}
