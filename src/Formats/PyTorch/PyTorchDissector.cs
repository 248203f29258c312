// Spec: PyTorch Mobile archive (torch.jit._save_for_lite_interpreter): <archive>/bytecode.pkl holds, per method, an
// ('operators', ((name, overload, n_args), ...)) table; read with RestrictedPickle, which never imports or executes.
using System.Globalization;
using System.Text.RegularExpressions;
using GaugeNN.Formats.Archives;
using GaugeNN.Formats.Dissection;

namespace GaugeNN.Formats.PyTorch;

/// <summary>
/// Dissects a PyTorch Mobile / TorchScript archive: the archive listing (entry count, tensor files under data/) and
/// the operator names of every method's operator table in bytecode.pkl, counted once per table entry. Params and MACs
/// are not derived (tensor shapes live in the pickled module, which is not rebuilt).
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
        if (bytecode is null) return facts;
        var pickle = zip.ReadContent(bytecode, new InflationBudget(ZipLimits.ModelContainer.MaxEntryBytes));
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

    [GeneratedRegex(@"^(aten|prim|quantized|_quantized|prepacked|mobile|_caffe2|torchvision)::[A-Za-z0-9_]+$")]
    private static partial Regex OperatorName();
}
