using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>What an output line says about the timed loop.</summary>
public enum LoopMark
{
    None,
    Begins,
    Ends,
}

/// <summary>A file a runner needs on the device: its name there (under <see cref="DeviceRunner.BinFolder"/>) and its bytes.</summary>
public sealed record DeviceTool(string Name, Func<byte[]> Bytes);

/// <summary>A runner's tool that is not where gaugeNN looks for it; the message says where to put it.</summary>
public sealed class MissingDeviceToolException(string message) : Exception(message);

/// <summary>
/// Where the user keeps the benchmark binaries built for devices, one folder per ABI:
/// <c>FOLDER/arm64-v8a/benchmark_model</c>, <c>FOLDER/armeabi-v7a/benchncnn</c>, … (<c>GAUGENN_DEVICE_TOOLS</c> or
/// <c>--tools</c>). gaugeNN's own ONNX Runtime runner needs nothing there: it ships inside gaugeNN.
/// </summary>
public sealed record DeviceToolsFolder(string? Folder)
{
    public const string Variable = "GAUGENN_DEVICE_TOOLS";

    public static DeviceToolsFolder FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } f ? f : null);

    public DeviceTool Binary(string name, string abi)
    {
        string? path = Folder is null ? null : Path.Combine(Folder, abi, name);
        if (path is null || !File.Exists(path))
            throw new MissingDeviceToolException(
                $"{name} for {abi} was not found: put the binary built for that ABI at {(Folder is null ? $"${Variable}" : Folder)}/{abi}/{name} " +
                $"(set {Variable} or pass --tools FOLDER)");
        return new DeviceTool(name, () => File.ReadAllBytes(path));
    }
}

/// <summary>
/// One on-device benchmark tool behind one contract: which files it needs on the device, the command for a model ×
/// config, which output lines bound its timed loop (for the power window), and how its output becomes a run — by the
/// same importers that read the tool's logs from a lab.
/// </summary>
public abstract class DeviceRunner
{
    public const string Folder = "/data/local/tmp/gaugenn";
    public const string BinFolder = Folder + "/bin";
    public const string ModelFolder = Folder + "/models";

    public abstract string Runtime { get; }

    /// <summary>Model formats it runs.</summary>
    public abstract IReadOnlyList<string> Formats { get; }

    /// <summary>Backends or delegates it can be asked for (the first is the default).</summary>
    public abstract IReadOnlyList<string> Backends { get; }

    public abstract IReadOnlyList<DeviceTool> Tools(DeviceToolsFolder tools, string abi);

    /// <summary>The shell command (run in <see cref="Folder"/>) benchmarking the model at <paramref name="modelPath"/>.</summary>
    public abstract string Command(string modelPath, BenchmarkConfig config);

    /// <summary>
    /// A fresh reader of one run's output lines, saying which lines start and end the timed loop; a tool that prints no
    /// such lines never says so, and then the whole run is the power window.
    /// </summary>
    public virtual Func<string, LoopMark> NewLoopMarker() => _ => LoopMark.None;

    public abstract ImportedRun Parse(string stdout, string stderr);

    public static IReadOnlyList<DeviceRunner> All { get; } =
        [new OrtDeviceRunner(), new TfliteDeviceRunner(), new NcnnDeviceRunner(), new MnnDeviceRunner()];

    public static DeviceRunner? For(string runtime) => All.FirstOrDefault(r => r.Runtime == runtime);

    public bool Runs(string format, BenchmarkConfig config) =>
        config.Runtime == Runtime && Formats.Contains(format) && Backends.Contains(config.Backend);

    protected static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";

    protected static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
