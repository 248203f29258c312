namespace GaugeNN.Events;

// Stream: the model's sha256.

public sealed record NameCount(string Name, long Count);

/// <summary>
/// A declared tensor. A null dimension in <see cref="Shape"/> is not a number (symbolic or absent);
/// <see cref="DimNames"/> has one entry per dimension: the symbol the file names it by (ONNX <c>dim_param</c> such as
/// <c>batch</c> or <c>sequence</c>), or null.
/// </summary>
public sealed record TensorSpec(string Name, IReadOnlyList<long?> Shape, IReadOnlyList<string?> DimNames, string Dtype)
{
    /// <summary>A tensor whose dimensions carry no symbols.</summary>
    public static TensorSpec Of(string name, IReadOnlyList<long?> shape, string dtype) =>
        new(name, shape, shape.Select(_ => (string?)null).ToList(), dtype);
}

/// <summary>A node whose MACs could not be established (it adds 0 to the total), and why.</summary>
public sealed record UnknownMacNode(string Node, string Op, string Reason);

/// <summary>
/// The analyser read a model's structure. A better analyser appends a new one with a higher
/// <see cref="AnalyserVersion"/>; the latest wins. FLOPs are 2 × MACs and are not stored.
/// <see cref="MacsUnknown"/> lists the <see cref="MacsUnknownNodes"/> nodes with their reasons (empty when upcast
/// from <see cref="ModelDissectedV1"/>, which did not record them).
/// </summary>
public sealed record ModelDissected(
    string Sha256, int AnalyserVersion, string Format, long Params, long Macs, long MacsUnknownNodes,
    IReadOnlyList<UnknownMacNode> MacsUnknown, bool Quantized, int Layers, IReadOnlyList<NameCount> Ops,
    IReadOnlyList<NameCount> WeightDtypes, IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs,
    IReadOnlyDictionary<string, string> Metadata, string ArchFingerprint, string Task, string TaskRule,
    DateTimeOffset At) : IGaugeEvent
{
    /// <summary>
    /// Upcasts a stored <see cref="ModelDissectedV1"/>: its shapes had no symbol names and its unknown-MAC nodes no
    /// reasons, so those come out empty; every other fact is carried over unchanged.
    /// </summary>
    public static ModelDissected From(ModelDissectedV1 old) => new(
        old.Sha256, old.AnalyserVersion, old.Format, old.Params, old.Macs, old.MacsUnknownNodes, [], old.Quantized,
        old.Layers, old.Ops, old.WeightDtypes, old.Inputs.Select(Upcast).ToList(), old.Outputs.Select(Upcast).ToList(),
        old.Metadata, old.ArchFingerprint, old.Task, old.TaskRule, old.At);

    private static TensorSpec Upcast(TensorSpecV1 old) => TensorSpec.Of(old.Name, old.Shape, old.Dtype);
}

/// <summary>The analyser could not read a model; <see cref="LooksEncrypted"/> when its entropy says so.</summary>
public sealed record ModelDissectionFailed(
    string Sha256, int AnalyserVersion, string Format, string Reason, bool LooksEncrypted, DateTimeOffset At) : IGaugeEvent;

/// <summary>A declared tensor as <see cref="ModelDissectedV1"/> stored it: symbolic dimensions were null.</summary>
public sealed record TensorSpecV1(string Name, IReadOnlyList<long?> Shape, string Dtype);

/// <summary>
/// The first shape of the dissection event (alias <c>model_dissected_v1</c>), kept so stored events still load;
/// read it through <see cref="ModelDissected.From"/>.
/// </summary>
public sealed record ModelDissectedV1(
    string Sha256, int AnalyserVersion, string Format, long Params, long Macs, long MacsUnknownNodes, bool Quantized,
    int Layers, IReadOnlyList<NameCount> Ops, IReadOnlyList<NameCount> WeightDtypes, IReadOnlyList<TensorSpecV1> Inputs,
    IReadOnlyList<TensorSpecV1> Outputs, IReadOnlyDictionary<string, string> Metadata, string ArchFingerprint,
    string Task, string TaskRule, DateTimeOffset At) : IGaugeEvent;
