// Spec: PyTorch Mobile archive (torch.jit._save_for_lite_interpreter): <archive>/bytecode.pkl holds, per method, an
// ('operators', ((name, overload, n_args), ...)) table; read with RestrictedPickle, which never imports or executes.
using System.Globalization;
using System.Text.RegularExpressions;
using GaugeNN.Formats.Archives;
using GaugeNN.Formats.Dissection;

namespace GaugeNN.Formats.PyTorch;

/// <summary>
/// Dissects a PyTorch Mobile / TorchScript archive: the archive listing (entry count, tensor files under data/), the
/// operator names of every method's operator table in bytecode.pkl, counted once per table entry, and params: every
/// tensor storage file the pickles reference (<c>data.pkl</c> → <c>data/</c>, <c>constants.pkl</c> and
/// <c>bytecode.pkl</c> → <c>constants/</c>) counted once, as its stored size over the element size of the storage type
/// the pickle names (FloatStorage, HalfStorage, QInt8Storage, …). MACs are not derived (shapes live in the pickled
/// module, which is not rebuilt).
/// </summary>
internal static partial class PyTorchDissector
{
    private const string Format = "pytorch";

    public static ModelFacts Dissect(ReadOnlyMemory<byte> bytes)
    {
        if (!ZipReader.LooksLikeZip(bytes.Span))
            throw new MalformedModelException(Format, 0, "local header signature", "not a zip archive");
        try
        {
            return DissectArchive(ZipReader.Open(ByteSource.FromMemory(bytes), ZipLimits.ModelContainer));
        }
        catch (ArchiveException e)
        {
            throw new MalformedModelException(Format, e.Offset, e.Field, e.Problem);
        }
    }

    private static ModelFacts DissectArchive(ZipReader zip)
    {
        var entries = zip.Entries;
        var facts = new ModelFacts(Format);
        facts.Metadata["archive_entries"] = entries.Count.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["tensor_files"] = entries.Count(e => e.Name.Contains("/data/", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture);
        var bytecode = entries.FirstOrDefault(e => e.Name.EndsWith("/bytecode.pkl", StringComparison.Ordinal));
        facts.Metadata["mobile_bytecode"] = (bytecode is not null).ToString();
        // The top folder is the archive's name, chosen at save time; the layout below it is the structure.
        foreach (var entry in entries) facts.Structure.Add(entry.Name[(entry.Name.IndexOf('/') + 1)..]);
        var pickle = CountStorages(zip, new InflationBudget(ZipLimits.ModelContainer.MaxEntryBytes), facts, bytecode);
        if (pickle is null) return facts;
        foreach (string text in RestrictedPickle.Strings(pickle))
        {
            if (!OperatorName().IsMatch(text)) continue;
            facts.Layers++;
            facts.Ops.Add(text);
            facts.Structure.Add(text);
            if (text.StartsWith("quantized::", StringComparison.Ordinal)) facts.Quantized = true;
        }
        return facts;
    }

    /// <summary>Storage type (as the pickle's GLOBAL names it) → dtype and element size.</summary>
    private static readonly Dictionary<string, (string Dtype, int Bytes)> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = ("float32", 4), ["DoubleStorage"] = ("float64", 8), ["HalfStorage"] = ("float16", 2),
        ["BFloat16Storage"] = ("bfloat16", 2), ["LongStorage"] = ("int64", 8), ["IntStorage"] = ("int32", 4),
        ["ShortStorage"] = ("int16", 2), ["CharStorage"] = ("int8", 1), ["ByteStorage"] = ("uint8", 1),
        ["BoolStorage"] = ("bool", 1), ["QInt8Storage"] = ("qint8", 1), ["QUInt8Storage"] = ("quint8", 1),
        ["QInt32Storage"] = ("qint32", 4), ["ComplexFloatStorage"] = ("complex64", 8), ["ComplexDoubleStorage"] = ("complex128", 16),
    };

    /// <summary>
    /// Params from the storages the pickles reference: each distinct storage file's size over its element size.
    /// Returns the content of <paramref name="bytecode"/> (read once, here, among the other pickles).
    /// </summary>
    private static byte[]? CountStorages(ZipReader zip, InflationBudget budget, ModelFacts facts, ZipEntry? bytecode)
    {
        byte[]? bytecodePickle = null;
        var byName = zip.Entries.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var counted = new HashSet<string>(StringComparer.Ordinal);
        int unknownTypes = 0, missing = 0;
        foreach (var entry in zip.Entries)
        {
            int slash = entry.Name.IndexOf('/');
            string inner = entry.Name[(slash + 1)..];
            string? folder = inner switch { "data.pkl" => "data", "constants.pkl" or "bytecode.pkl" => "constants", _ => null };
            if (slash <= 0 || folder is null) continue;
            var content = zip.ReadContent(entry, budget);
            if (entry == bytecode) bytecodePickle = content;
            foreach (var id in RestrictedPickle.PersistentIds(content))
            {
                if (id is not ["storage", var type, var key, ..]) continue;
                string path = $"{entry.Name[..slash]}/{folder}/{key}";
                if (!counted.Add(path)) continue;
                if (!byName.TryGetValue(path, out var storage)) { missing++; continue; }
                string typeName = type[(type.LastIndexOf(' ') + 1)..];
                if (!StorageTypes.TryGetValue(typeName, out var element)) { unknownTypes++; continue; }
                long elements = storage.UncompressedSize / element.Bytes;
                facts.Params = checked(facts.Params + elements);
                facts.WeightDtypes.Add(element.Dtype, elements);
                if (typeName.StartsWith('Q')) facts.Quantized = true;
            }
        }
        facts.Metadata["storages"] = (counted.Count - missing - unknownTypes).ToString(CultureInfo.InvariantCulture);
        if (missing > 0) facts.Metadata["storages_missing"] = missing.ToString(CultureInfo.InvariantCulture);
        if (unknownTypes > 0) facts.Metadata["storages_of_unknown_type"] = unknownTypes.ToString(CultureInfo.InvariantCulture);
        return bytecodePickle ?? (bytecode is null ? null : zip.ReadContent(bytecode, budget));
    }

    [GeneratedRegex(@"^(aten|prim|quantized|_quantized|prepacked|mobile|_caffe2|torchvision)::[A-Za-z0-9_]+$")]
    private static partial Regex OperatorName();
}
