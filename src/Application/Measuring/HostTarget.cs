using GaugeNN.Events;
using GaugeNN.Measure.Runners.Host;

namespace GaugeNN.Application.Measuring;

/// <summary>The machine itself (device <c>host</c>): ONNX models on ONNX Runtime's CPU provider, in this process.</summary>
public sealed class HostTarget(TimeProvider time) : IBenchmarkTarget
{
    private readonly HostRunner _runner = new(time);

    public string DeviceId => HostRunner.DeviceId;

    public bool Runs(string format, BenchmarkConfig config) => format == "onnx" && config.Runtime == HostOptions.Runtime;

    public Task<IGaugeEvent> RunAsync(BenchmarkRun run, byte[] model, CancellationToken ct) =>
        Task.Run(() => _runner.Run(HostModel.FromBytes(run.RunId, run.ModelSha256, model), run.Config, run.PlanId, run.Attempt, ct).Event, ct);
}
