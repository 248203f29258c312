namespace GaugeNN.Events;

// What models cost to run: devices (stream: device id), plans (stream: plan id) and runs (stream: run id).
// Times are milliseconds, memory megabytes (MB = 2^20 bytes, as the tools print it), energy millijoules, power
// milliwatts, temperatures degrees Celsius. A figure the tool did not print is null, never a made-up zero.

/// <summary>
/// A device measurements can be taken on. <see cref="DeviceId"/> is stable across reconnects (<c>host</c> for the
/// machine itself, else manufacturer, model and serial number). <see cref="Tier"/> is <c>low</c>, <c>mid</c>,
/// <c>high</c> or <c>host</c>; <see cref="Year"/> is the release year (the generation). <see cref="Source"/> says how
/// both were found: the catalogue entry that matched, or the rule that inferred them (then <see cref="Inferred"/>).
/// </summary>
public sealed record DeviceRegistered(
    string DeviceId, string? Serial, string? Manufacturer, string? Model, string? Family, string? Soc, string? Abi,
    int? Sdk, long? RamMb, int? Cores, int? BigCores, int? LittleCores, int? BigCoreMaxMhz, string? CpuModel,
    string Tier, int? Year, string Source, bool Inferred, DateTimeOffset At) : IGaugeEvent;

/// <summary>
/// How one model is run: the runtime (<c>onnxruntime</c>, <c>tflite</c>, <c>ncnn</c>, <c>mnn</c>), its backend or
/// delegate (<c>cpu</c>, <c>xnnpack</c>, <c>gpu</c>, <c>nnapi</c>, <c>hexagon</c>, <c>vulkan</c>, …), threads, warm-up
/// and timed runs, and runtime-specific options (e.g. <c>graphOptimization</c>, <c>executionMode</c>, <c>pin</c>,
/// <c>cooldownC</c>, input shape overrides).
/// </summary>
public sealed record BenchmarkConfig(
    string Runtime, string Backend, int Threads, int WarmupRuns, int TimedRuns, IReadOnlyDictionary<string, string> Options);

/// <summary>
/// A benchmark plan: every model × device × config is one run (with several configs, those whose runtime reads the
/// model's format); <c>bench --resume</c> runs what is missing.
/// </summary>
public sealed record BenchmarkPlanned(
    string PlanId, IReadOnlyList<string> Models, IReadOnlyList<string> Devices, IReadOnlyList<BenchmarkConfig> Configs,
    DateTimeOffset At) : IGaugeEvent;

/// <summary>
/// One benchmark of one model on one device with one config: measured here (<see cref="Provenance"/> =
/// <c>measured</c>) or imported from a tool's output (<c>imported</c>, with the file's name and sha256).
/// <see cref="Delegation"/> says whether the graph ran <c>full</c>y, <c>partial</c>ly or <c>none</c> of it on the
/// delegate (null when no delegate was asked for or the tool did not say). Percentiles are those the tool printed
/// or, for our own runners, computed from the timed samples (nearest rank). <see cref="TimedStart"/> and
/// <see cref="TimedEnd"/> bound the timed loop (for aligning a power trace), when known. <see cref="Conditions"/>
/// holds what else changes a result: governor, screen, battery level and charging state, pinning mask, cool-down
/// waited, tool-specific figures (e.g. <c>memoryInitMb</c>, <c>vmRssMb</c>).
/// </summary>
public sealed record MeasurementRecorded(
    string RunId, string? PlanId, string ModelSha256, string DeviceId, string Runtime, string? RuntimeVersion,
    string Backend, string? Delegation, int? DelegateKernels, int? Threads, int? WarmupRuns, int? TimedRuns,
    double? InitMs, double? FirstInferenceMs, double? WarmupMeanMs, double? MeanMs, double? StdMs, double? MinMs,
    double? MaxMs, double? P5Ms, double? P50Ms, double? P90Ms, double? P95Ms, double? P99Ms, double? PeakMemoryMb,
    double? EnergyMjPerInference, double? AvgPowerMw, int? PowerSamples, double? PowerSampleHz,
    double? TempBeforeC, double? TempAfterC, DateTimeOffset? TimedStart, DateTimeOffset? TimedEnd,
    string Tool, string? ToolVersion, string Provenance, string? SourceFile, string? SourceSha256,
    IReadOnlyDictionary<string, string> Conditions, DateTimeOffset At) : IGaugeEvent;

/// <summary>
/// Energy of a run's timed window from a power monitor's trace (or a fuel gauge), minus the mean power of an idle
/// window, divided by the inferences in the window. The latest one of a run wins over the run's own figures.
/// </summary>
public sealed record EnergyMeasured(
    string RunId, double EnergyMjPerInference, double AvgPowerMw, double IdlePowerMw, int Samples, double SampleHz,
    double WindowStartS, double WindowEndS, double IdleStartS, double IdleEndS, string Method, string? SourceFile,
    string? SourceSha256, DateTimeOffset At) : IGaugeEvent;

/// <summary>One operator's row of an op-profiling run, in run order.</summary>
public sealed record OperatorTiming(
    int Index, string NodeType, string Name, double? StartMs, double? FirstMs, double AvgMs, double? Percent,
    double? CdfPercent, double? MemKb, long? TimesCalled);

/// <summary>Per-operator timings of a run (e.g. <c>benchmark_model --enable_op_profiling</c>'s run-order table).</summary>
public sealed record OperatorProfileRecorded(
    string RunId, string ModelSha256, string DeviceId, IReadOnlyList<OperatorTiming> Operators, DateTimeOffset At) : IGaugeEvent;

/// <summary>A run that did not produce a measurement: the runtime's own message, and which attempt it was.</summary>
public sealed record BenchmarkFailed(
    string RunId, string? PlanId, string ModelSha256, string DeviceId, string Runtime, string Backend, int? Threads,
    string Reason, int Attempt, DateTimeOffset At) : IGaugeEvent;
