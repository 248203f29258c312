using System.Security.Cryptography;
using System.Text;
using GaugeNN.Events;

namespace GaugeNN.Formats.Dissection;

/// <summary>What a format reader found in one model, before it becomes a <see cref="ModelDissected"/> event.</summary>
internal sealed class ModelFacts(string format)
{
    public string Format { get; } = format;
    public long Params { get; set; }
    public long Macs { get; set; }
    public long MacsUnknownNodes => MacsUnknown.Count;
    public List<UnknownMacNode> MacsUnknown { get; } = [];
    public bool Quantized { get; set; }
    public int Layers { get; set; }
    public Histogram Ops { get; } = new();
    public Histogram WeightDtypes { get; } = new();
    public List<TensorSpec> Inputs { get; } = [];
    public List<TensorSpec> Outputs { get; } = [];
    public SortedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);
    public StructureHash Structure { get; } = new();

    /// <summary>Adds a node's MACs; a total that would pass 2^63 stays at long.MaxValue (only hostile sizes get there).</summary>
    public void AddMacs(long macs) => Macs = Saturate(Macs, macs);

    public static long Saturate(long total, long add) => add > long.MaxValue - total ? long.MaxValue : total + add;

    /// <summary>Counts a node whose MACs cannot be established; it adds nothing to <see cref="Macs"/>.</summary>
    public void UnknownMacs(string node, string op, string reason) => MacsUnknown.Add(new UnknownMacNode(node, op, reason));

    /// <summary>Free text that names what the model is for (description, graph and tensor names), for task rules.</summary>
    public List<string> Names { get; } = [];
}

/// <summary>Counts by name, reported largest first (ties by name) so histograms compare as sets.</summary>
internal sealed class Histogram
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string name, long count = 1) =>
        _counts[name] = _counts.TryGetValue(name, out long existing) ? existing + count : count;

    public IEnumerable<string> Names => _counts.Keys;

    public IReadOnlyList<NameCount> ToList() =>
        _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new NameCount(p.Key, p.Value)).ToList();
}

/// <summary>
/// Accumulates a model's structure (operators, order, attributes, tensor shapes and dtypes; never weight values)
/// into a SHA-256, so fine-tuned variants of one architecture share a fingerprint.
/// </summary>
internal sealed class StructureHash
{
    // Collected as bytes and hashed once: an IncrementalHash per model holds a native context until finalised.
    private readonly System.Buffers.ArrayBufferWriter<byte> _bytes = new(4096);
    private readonly Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);

    public void Add(string text)
    {
        Add(text.Length);
        int length = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, _bytes.GetSpan(length));
        _bytes.Advance(length);
    }

    /// <summary>
    /// A tensor or blob name, hashed as the order in which it first appeared, so that wiring counts and a renamed
    /// re-export of the same graph keeps its fingerprint.
    /// </summary>
    public void AddName(string name)
    {
        if (!_nameIds.TryGetValue(name, out int id)) _nameIds[name] = id = _nameIds.Count;
        Add(id);
    }

    public void Add(long value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(_bytes.GetSpan(8), value);
        _bytes.Advance(8);
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        Add(bytes.Length);
        bytes.CopyTo(_bytes.GetSpan(bytes.Length));
        _bytes.Advance(bytes.Length);
    }

    public string Finish() => Convert.ToHexStringLower(SHA256.HashData(_bytes.WrittenSpan));
}
