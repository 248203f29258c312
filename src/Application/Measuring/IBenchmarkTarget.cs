using GaugeNN.Events;

namespace GaugeNN.Application.Measuring;

/// <summary>One run of a plan: which model on which device with which config, and which attempt this is.</summary>
public sealed record BenchmarkRun(string RunId, string PlanId, string ModelSha256, string Format, BenchmarkConfig Config, int Attempt);

/// <summary>
/// A device a plan's runs execute on: the host (ONNX Runtime in process, LiteRT.js under node) or a phone over ADB. It returns the run's
/// <see cref="MeasurementRecorded"/> or its <see cref="BenchmarkFailed"/> (with the runtime's own message); it throws
/// only when it cannot reach the device at all, which the plan records as a failed attempt too.
/// </summary>
public interface IBenchmarkTarget
{
    string DeviceId { get; }

    /// <summary>Whether this target runs models of the format with the config's runtime; other runs are skipped.</summary>
    bool Runs(string format, BenchmarkConfig config);

    /// <summary>Why this target cannot run the config's runtime now (e.g. a tool not installed), or null when it can.</summary>
    Task<string?> UnavailableAsync(BenchmarkConfig config, CancellationToken ct) => Task.FromResult<string?>(null);

    Task<IGaugeEvent> RunAsync(BenchmarkRun run, byte[] model, CancellationToken ct);

    /// <summary>After a <see cref="DeviceLostException"/>: waits (at most <paramref name="limit"/>) for the device to come back.</summary>
    Task<bool> WaitUntilBackAsync(TimeSpan limit, CancellationToken ct) => Task.FromResult(false);
}

/// <summary>The device stopped answering in the middle of a run (unplugged, adbd stopped, the transport dropped).</summary>
public sealed class DeviceLostException(string message, Exception inner) : Exception(message, inner);
