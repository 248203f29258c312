using GaugeNN.Events;
using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>
/// MNN's <c>benchmark.out</c> over a folder holding the one model: backends <c>cpu</c> (forward type 0),
/// <c>opencl</c> (3), <c>vulkan</c> (7); option <c>precision</c> (default 2). No loop markers: a power window spans the
/// whole run.
/// </summary>
public sealed class MnnDeviceRunner : DeviceRunner
{
    private const string Binary = "benchmark.out";

    public override string Runtime => "mnn";
    public override IReadOnlyList<string> Formats => ["mnn"];
    public override IReadOnlyList<string> Backends => ["cpu", "opencl", "vulkan"];

    public override IReadOnlyList<DeviceTool> Tools(DeviceToolsFolder tools, string abi) => [tools.Binary(Binary, abi)];

    public override string Command(string modelPath, BenchmarkConfig config)
    {
        string forward = config.Backend switch { "opencl" => "3", "vulkan" => "7", _ => "0" };
        string folder = modelPath[..modelPath.LastIndexOf('/')];
        return string.Join(' ', new[] { $"{BinFolder}/{Binary}", folder, $"{config.TimedRuns}", $"{config.WarmupRuns}", forward,
            $"{(config.Threads == 0 ? 4 : config.Threads)}", config.Options.GetValueOrDefault("precision", "2") }.Select(Quote));
    }

    public override ImportedRun Parse(string stdout, string stderr) =>
        MnnBenchmarkLog.Parse(stdout) is [var run] ? run : throw new BenchmarkLogException(MnnBenchmarkLog.Format, 1, "expected one result line for one model");
}
