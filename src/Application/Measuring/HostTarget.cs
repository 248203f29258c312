using GaugeNN.Events;
using GaugeNN.Measure.Runners.Device;
using GaugeNN.Measure.Runners.Host;

namespace GaugeNN.Application.Measuring;

/// <summary>The machine itself (device <c>host</c>): ONNX models on ONNX Runtime's CPU provider, in this process.</summary>
public sealed class HostTarget(TimeProvider time) : IBenchmarkTarget
{
    private readonly HostRunner _runner = new(time);

    public string DeviceId => HostRunner.DeviceId;

    public bool Runs(string format, BenchmarkConfig config) => format == "onnx" && config.Runtime == HostOptions.Runtime;

    /// <summary>A plan's config without the options of the device protocol (cool-down, pinning, power sampling), which the host has no use for.</summary>
    public Task<IGaugeEvent> RunAsync(BenchmarkRun run, byte[] model, CancellationToken ct)
    {
        var config = run.Config with { Options = run.Config.Options.Where(o => !DeviceBenchmark.ProtocolOptions.Contains(o.Key)).ToDictionary() };
        return Task.Run(() => _runner.Run(HostModel.FromBytes(run.RunId, run.ModelSha256, model), config, run.PlanId, run.Attempt, ct).Event, ct);
    }
}
