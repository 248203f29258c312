namespace GaugeNN.Events;

// Stream: the model's sha256.

public sealed record NameCount(string Name, long Count);

/// <summary>A declared tensor; a null dimension is unknown (symbolic or absent).</summary>
public sealed record TensorSpec(string Name, IReadOnlyList<long?> Shape, string Dtype);

/// <summary>
/// The analyser read a model's structure. A better analyser appends a new one with a higher
/// <see cref="AnalyserVersion"/>; the latest wins. FLOPs are 2 × MACs and are not stored.
/// </summary>
public sealed record ModelDissected(
    string Sha256, int AnalyserVersion, string Format, long Params, long Macs, long MacsUnknownNodes, bool Quantized,
    int Layers, IReadOnlyList<NameCount> Ops, IReadOnlyList<NameCount> WeightDtypes, IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs, IReadOnlyDictionary<string, string> Metadata, string ArchFingerprint,
    string Task, string TaskRule, DateTimeOffset At) : IGaugeEvent;

/// <summary>The analyser could not read a model; <see cref="LooksEncrypted"/> when its entropy says so.</summary>
public sealed record ModelDissectionFailed(
    string Sha256, int AnalyserVersion, string Format, string Reason, bool LooksEncrypted, DateTimeOffset At) : IGaugeEvent;
