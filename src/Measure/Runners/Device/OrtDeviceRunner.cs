using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Measure.Import;
using GaugeNN.Measure.Runners.Host;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>
/// ONNX Runtime on the device through gaugeNN's own runner (<c>tools/device/gaugenn-ort-runner.py</c>, run by the
/// device's python3 with its onnxruntime): per-run times, so the statistics are computed here exactly as the host
/// runner computes them (<see cref="TimingStats"/>). Options: <c>graphOptimization</c>, <c>dim.SYMBOL</c>,
/// <c>shape.INPUT</c> (comma-separated dims), <c>fill.INPUT</c>.
/// </summary>
public sealed class OrtDeviceRunner : DeviceRunner
{
    public const string Script = "gaugenn-ort-runner.py";
    private const string Tool = "gaugenn-ort-runner";

    public override string Runtime => "onnxruntime";
    public override IReadOnlyList<string> Formats => ["onnx"];
    public override IReadOnlyList<string> Backends => ["cpu", "xnnpack", "nnapi"];

    public override IReadOnlyList<DeviceTool> Tools(DeviceToolsFolder tools, string abi) => [new(Script, ScriptBytes)];

    private static byte[] ScriptBytes()
    {
        using var stream = typeof(OrtDeviceRunner).Assembly.GetManifestResourceStream($"GaugeNN.Measure.Runners.Device.{Script}")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public override string Command(string modelPath, BenchmarkConfig config)
    {
        var args = new List<string> { "python3", $"{BinFolder}/{Script}", modelPath, "--runs", $"{config.TimedRuns}",
            "--warmup", $"{config.WarmupRuns}", "--threads", $"{config.Threads}", "--providers", Providers(config.Backend) };
        foreach (var (key, value) in config.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (key == "graphOptimization") args.AddRange(["--optimization", value == "disabled" ? "disable" : value]);
            else if (key.StartsWith("dim.", StringComparison.Ordinal)) args.AddRange(["--dim", $"{key[4..]}={value}"]);
            else if (key.StartsWith("shape.", StringComparison.Ordinal)) args.AddRange(["--shape", $"{key[6..]}={value.Replace(',', 'x')}"]);
            else if (key.StartsWith("fill.", StringComparison.Ordinal)) args.AddRange(["--fill", $"{key[5..]}={value}"]);
        }
        return string.Join(' ', args.Select(Quote));
    }

    private static string Providers(string backend) => backend switch
    {
        "xnnpack" => "XnnpackExecutionProvider,CPUExecutionProvider",
        "nnapi" => "NnapiExecutionProvider,CPUExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    public override Func<string, LoopMark> NewLoopMarker() =>
        line => line switch { "timed_begin" => LoopMark.Begins, "timed_end" => LoopMark.Ends, _ => LoopMark.None };

    public override ImportedRun Parse(string stdout, string stderr)
    {
        const string format = "gaugenn-ort-runner output";
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        decimal? init = null, first = null, peak = null;
        string? version = null, providers = null;
        var warmups = new List<decimal>();
        var runs = new List<decimal>();
        int? done = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            decimal Number(int at) => parts.Length > at && decimal.TryParse(parts[at], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
                ? v : throw new BenchmarkLogException(format, i + 1, $"'{lines[i]}': field {at + 1} is not a number");
            switch (parts[0])
            {
                case "gaugenn-ort-runner" when parts.Length == 2 && parts[1] == "2": break;
                case "gaugenn-ort-runner": throw new BenchmarkLogException(format, i + 1, $"format '{lines[i]}' is not version 2");
                case "onnxruntime": version = parts.ElementAtOrDefault(1); break;
                case "providers": providers = parts.ElementAtOrDefault(1); break;
                case "init_ms": init = Number(1); break;
                case "first_ms": first = Number(1); break;
                case "warmup_ms": warmups.Add(Number(2)); break;
                case "run_ms": runs.Add(Number(2)); break;
                case "peak_rss_mb": peak = Number(1); break;
                case "done": done = (int)Number(1); break;
            }
        }
        if (done is null) throw new BenchmarkLogException(format, lines.Length, $"no 'done' line: the run failed: {stderr.Trim().Split('\n').LastOrDefault()}");
        if (runs.Count != done || runs.Count == 0) throw new BenchmarkLogException(format, lines.Length, $"'done {done}' but {runs.Count} timed runs were printed");
        var stats = TimingStats.Of(runs.Select(r => (double)r).ToList());
        var sorted = runs.Order().ToList();
        decimal Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count), 1, sorted.Count) - 1];
        return new ImportedRun
        {
            Tool = Tool, ToolVersion = "2", Runtime = Runtime, RuntimeVersion = version, Backend = BackendOf(providers), Line = 1,
            TimedRuns = runs.Count, WarmupRuns = warmups.Count, InitMs = init, FirstInferenceMs = first,
            WarmupMeanMs = warmups.Count > 0 ? warmups.Average() : null, MeanMs = runs.Average(), StdMs = (decimal)stats.StdMs,
            MinMs = sorted[0], MaxMs = sorted[^1], P50Ms = Rank(50), P90Ms = Rank(90), P99Ms = Rank(99), PeakMemoryMb = peak,
            Conditions = new Dictionary<string, string> { ["providers"] = providers ?? "" },
        };
    }

    private static string BackendOf(string? providers) => providers?.Split(',')[0] switch
    {
        "XnnpackExecutionProvider" => "xnnpack",
        "NnapiExecutionProvider" => "nnapi",
        _ => "cpu",
    };
}
