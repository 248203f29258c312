using GaugeNN.Events;
using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>
/// ncnn's <c>benchncnn</c> on one model (<c>param=</c>): backends <c>cpu</c> (gpu_device -1) and <c>vulkan</c> (0);
/// option <c>powersave</c> (0 all, 1 little, 2 big cores), <c>shape</c> (<c>[w,h,c]</c>). It prints no marker around its
/// loop, so a power window spans the whole run (warm-up included) and is coarse.
/// </summary>
public sealed class NcnnDeviceRunner : DeviceRunner
{
    private const string Binary = "benchncnn";

    public override string Runtime => "ncnn";
    public override IReadOnlyList<string> Formats => ["ncnn"];
    public override IReadOnlyList<string> Backends => ["cpu", "vulkan"];

    public override IReadOnlyList<DeviceTool> Tools(DeviceToolsFolder tools, string abi) => [tools.Binary(Binary, abi)];

    public override string Command(string modelPath, BenchmarkConfig config)
    {
        var args = new List<string> { $"{BinFolder}/{Binary}", $"{config.TimedRuns}", $"{(config.Threads == 0 ? 4 : config.Threads)}",
            config.Options.GetValueOrDefault("powersave", "0"), config.Backend == "vulkan" ? "0" : "-1", "0", $"param={modelPath}" };
        if (config.Options.TryGetValue("shape", out var shape)) args.Add($"shape={shape}");
        // benchncnn writes its report to stderr.
        return string.Join(' ', args.Select(Quote)) + " 2>&1";
    }

    public override ImportedRun Parse(string stdout, string stderr) =>
        BenchncnnLog.Parse(stdout) is [var run] ? run : throw new BenchmarkLogException(BenchncnnLog.Format, 1, "expected one model line for one model");
}
