using GaugeNN.Events;

namespace GaugeNN.Measure.Import;

/// <summary>
/// One benchmark run read from a tool's output, with the figures exactly as printed: times in milliseconds and memory
/// in MB as <see cref="decimal"/> (a microsecond figure divided by 1000 in decimal, so it keeps every digit), null
/// where the tool printed nothing. <see cref="GraphName"/> is the model file name the output names, for the caller
/// to resolve to one known model; <see cref="Line"/> is where the run starts in the text.
/// </summary>
public sealed record ImportedRun
{
    public required string Tool { get; init; }
    public string? ToolVersion { get; init; }
    public required string Runtime { get; init; }
    /// <summary>The runtime's own version when the output prints it (the tools above print their own at most).</summary>
    public string? RuntimeVersion { get; init; }
    public required string Backend { get; init; }
    public required int Line { get; init; }
    public string? GraphName { get; init; }
    public string? GraphPath { get; init; }
    public string? Delegation { get; init; }
    public int? DelegateKernels { get; init; }
    public int? Threads { get; init; }
    public int? WarmupRuns { get; init; }
    public int? TimedRuns { get; init; }
    public decimal? InitMs { get; init; }
    public decimal? FirstInferenceMs { get; init; }
    public decimal? WarmupMeanMs { get; init; }
    public decimal? MeanMs { get; init; }
    public decimal? StdMs { get; init; }
    public decimal? MinMs { get; init; }
    public decimal? MaxMs { get; init; }
    public decimal? P5Ms { get; init; }
    public decimal? P50Ms { get; init; }
    public decimal? P90Ms { get; init; }
    public decimal? P95Ms { get; init; }
    public decimal? P99Ms { get; init; }
    public decimal? PeakMemoryMb { get; init; }
    public DateTimeOffset? TimedStart { get; init; }
    public DateTimeOffset? TimedEnd { get; init; }

    /// <summary>Tool-specific figures and echoed parameters (e.g. <c>memoryInitMb</c>, <c>vmRssMb</c>, <c>param.Min num runs</c>).</summary>
    public IReadOnlyDictionary<string, string> Conditions { get; init; } = new Dictionary<string, string>();

    /// <summary>Per-operator rows of an op-profiling run, in run order (empty when the output has none).</summary>
    public IReadOnlyList<OperatorTiming> Operators { get; init; } = [];

    public MeasurementRecorded ToMeasurement(ImportIds ids) => new(
        ids.RunId, ids.PlanId, ids.ModelSha256, ids.DeviceId, Runtime, RuntimeVersion, Backend, Delegation,
        DelegateKernels, Threads, WarmupRuns, TimedRuns, D(InitMs), D(FirstInferenceMs), D(WarmupMeanMs), D(MeanMs),
        D(StdMs), D(MinMs), D(MaxMs), D(P5Ms), D(P50Ms), D(P90Ms), D(P95Ms), D(P99Ms), D(PeakMemoryMb),
        EnergyMjPerInference: null, AvgPowerMw: null, PowerSamples: null, PowerSampleHz: null,
        TempBeforeC: null, TempAfterC: null, TimedStart, TimedEnd, Tool, ToolVersion, "imported", ids.SourceFile,
        ids.SourceSha256, Conditions, ids.At);

    /// <summary>The run's operator profile, or null when the output printed none.</summary>
    public OperatorProfileRecorded? ToOperatorProfile(ImportIds ids) =>
        Operators.Count == 0 ? null : new OperatorProfileRecorded(ids.RunId, ids.ModelSha256, ids.DeviceId, Operators, ids.At);

    // decimal → double gives the double nearest the printed value, whose shortest round-trip text is that value.
    private static double? D(decimal? value) => value is { } v ? (double)v : null;
}
