using GaugeNN.Events;
using GaugeNN.Measure.Runners;
using GaugeNN.Measure.Runners.Device;
using GaugeNN.Measure.Runners.Host;

namespace GaugeNN.Application.Measuring;

/// <summary>
/// The machine itself (device <c>host</c>): ONNX models on ONNX Runtime's CPU provider in this process, TFLite models
/// on LiteRT.js under node (installed into the data folder's <c>runners/</c> on first use). When LiteRT.js cannot run
/// here (no node, npm failing), its runs are not runnable: said once through <paramref name="note"/>, nothing recorded.
/// </summary>
public sealed class HostTarget(Gauge gauge, Action<string>? note = null) : IBenchmarkTarget
{
    private readonly HostRunner _ort = new(gauge.Time);
    private readonly LiteRtRunner _liteRt = new(gauge.Time, gauge.Folder.Runners);
    private Task<string?>? _liteRtUnavailable;

    public string DeviceId => HostRunner.DeviceId;

    public bool Runs(string format, BenchmarkConfig config) =>
        config.Runtime is HostOptions.Runtime or LiteRtOptions.Runtime && RuntimeFormats.Reads(config.Runtime, format);

    public Task<string?> UnavailableAsync(BenchmarkConfig config, CancellationToken ct) =>
        config.Runtime == LiteRtOptions.Runtime ? _liteRtUnavailable ??= LiteRtUnavailableAsync(ct) : Task.FromResult<string?>(null);

    private async Task<string?> LiteRtUnavailableAsync(CancellationToken ct)
    {
        try
        {
            await _liteRt.EnsureInstalledAsync(ct, note);
            return null;
        }
        catch (LiteRtUnavailableException e)
        {
            note?.Invoke(e.Message);
            return e.Message;
        }
    }

    /// <summary>A plan's config without the options of the device protocol (cool-down, pinning, power sampling), which the host has no use for.</summary>
    public async Task<IGaugeEvent> RunAsync(BenchmarkRun run, byte[] model, CancellationToken ct)
    {
        var config = run.Config with { Options = run.Config.Options.Where(o => !DeviceBenchmark.ProtocolOptions.Contains(o.Key)).ToDictionary() };
        var hostModel = HostModel.FromBytes(run.RunId, run.ModelSha256, model);
        return config.Runtime == LiteRtOptions.Runtime
            ? (await _liteRt.RunAsync(hostModel, config, run.PlanId, run.Attempt, ct)).Event
            : await Task.Run(() => _ort.Run(hostModel, config, run.PlanId, run.Attempt, ct).Event, ct);
    }
}
