namespace GaugeNN.Measure.Import;

/// <summary>
/// What the caller decides for one imported run: its run id, the model it measured (sha256), the device it ran on,
/// the file it came from (name and sha256, for provenance and idempotence) and when it was recorded.
/// </summary>
public sealed record ImportIds(
    string RunId, string ModelSha256, string DeviceId, string SourceFile, string SourceSha256, DateTimeOffset At,
    string? PlanId = null);
