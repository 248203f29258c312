using GaugeNN.Events;
using GaugeNN.Measure.Adb;
using GaugeNN.Measure.Runners.Device;

namespace GaugeNN.Application.Measuring;

/// <summary>
/// A phone over ADB (the real adb server, the phone's adbd): each run goes through <see cref="DeviceBenchmark"/>'s
/// protocol with the runner of the config's runtime. A device that disappears mid-run surfaces as
/// <see cref="DeviceLostException"/>; <see cref="WaitUntilBackAsync"/> watches <c>host:track-devices</c> for its return.
/// </summary>
public sealed class AdbTarget : IBenchmarkTarget
{
    private readonly AdbClient _adb;
    private readonly DeviceBenchmark _benchmark;

    private AdbTarget(AdbClient adb, string serial, string deviceId, string abi, DeviceToolsFolder tools, TimeProvider time)
    {
        _adb = adb;
        Serial = serial;
        DeviceId = deviceId;
        Abi = abi;
        _benchmark = new DeviceBenchmark(adb.Device(serial), tools, time);
    }

    public string Serial { get; }
    public string DeviceId { get; }
    public string Abi { get; }

    /// <summary>Connects to an attached device, reads what it is, registers it, and returns it as a target.</summary>
    public static async Task<AdbTarget> ConnectAsync(Gauge gauge, AdbClient adb, string serial, DeviceToolsFolder tools, CancellationToken ct)
    {
        var device = await Describe(gauge, adb, serial, ct);
        return new AdbTarget(adb, serial, device.DeviceId, device.Abi ?? "arm64-v8a", tools, gauge.Time);
    }

    /// <summary>Registers an attached device from its properties (its id: manufacturer-model-serial number).</summary>
    public static async Task<DeviceRegistered> Describe(Gauge gauge, AdbClient adb, string serial, CancellationToken ct)
    {
        var properties = await new DeviceProbe(adb.Device(serial)).PropertiesAsync(ct);
        string id = string.Join('-', new[] { properties.Manufacturer, properties.Model, properties.Serial ?? serial }
            .Where(p => p is { Length: > 0 }).Select(p => new string(p!.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray())));
        return await new UseCases.RegisterDevice(gauge).PropertiesAsync(id, properties with { Serial = serial }, ct);
    }

    public bool Runs(string format, BenchmarkConfig config) => DeviceRunner.For(config.Runtime)?.Runs(format, config) == true;

    public async Task<IGaugeEvent> RunAsync(BenchmarkRun run, byte[] model, CancellationToken ct)
    {
        var runner = DeviceRunner.For(run.Config.Runtime) ?? throw new ArgumentException($"no device runner for {run.Config.Runtime}");
        try
        {
            return await _benchmark.RunAsync(runner, Abi, run.Format, new DeviceRunIds(run.RunId, run.PlanId, run.ModelSha256, DeviceId, run.Attempt),
                model, run.Config, ct);
        }
        catch (AdbException e) when (e.Kind is AdbErrorKind.DeviceUnavailable or AdbErrorKind.ConnectionClosed or AdbErrorKind.Timeout)
        {
            throw new DeviceLostException($"device {DeviceId} ({Serial}) was lost: {e.Message}", e);
        }
    }

    public async Task<bool> WaitUntilBackAsync(TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await _adb.WaitForDeviceAsync(Serial, timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
