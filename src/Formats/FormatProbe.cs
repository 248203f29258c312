using GaugeNN.Formats.Archives;
using GaugeNN.Formats.Caffe;
using GaugeNN.Formats.FlatBuffers;
using GaugeNN.Formats.Mnn;
using GaugeNN.Formats.Ncnn;
using GaugeNN.Formats.Onnx;
using GaugeNN.Formats.Paddle;
using GaugeNN.Formats.PyTorch;
using GaugeNN.Formats.Snpe;
using GaugeNN.Formats.Tflite;
using GaugeNN.Formats.TfGraph;

namespace GaugeNN.Formats;

/// <summary>What a probe concluded: the format and the evidence it rests on (extension, magic, structure).</summary>
public sealed record Identification(string Format, IReadOnlyList<string> Evidence);

/// <summary>
/// Decides whether bytes are a model, and of which format, by structure: each format's own reader checks that the
/// bytes parse as that format, not merely that a name or magic matches. Formats without magic (ONNX, Caffe, TF, MNN)
/// are only tried under their usual extensions so arbitrary protobuf or FlatBuffer data is not mistaken for a model.
/// Never throws on hostile input.
/// </summary>
public static class FormatProbe
{
    public static Identification? Identify(ReadOnlySpan<byte> bytes, string entryName)
    {
        try
        {
            return IdentifyStructure(bytes, entryName);
        }
        catch (Exception e) when (e is MalformedModelException or ArchiveException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The length of the TFLite FlatBuffer that starts at <paramref name="bytes"/>[0], found by walking it from the
    /// root; null when the bytes there are not a valid TFLite model.
    /// </summary>
    public static int? TfliteLength(ReadOnlyMemory<byte> bytes)
    {
        if (!TfliteWalker.HasIdentifier(bytes.Span)) return null;
        try
        {
            return TfliteWalker.Walk(bytes).End;
        }
        catch (Exception e) when (e is MalformedModelException or OverflowException)
        {
            return null;
        }
    }

    private static Identification? IdentifyStructure(ReadOnlySpan<byte> bytes, string entryName)
    {
        string name = entryName.ToLowerInvariant();
        bool Ends(string extension) => name.EndsWith(extension, StringComparison.Ordinal);
        bool noExtension = Path.GetExtension(name).Length == 0;

        if (TfliteWalker.HasIdentifier(bytes))
            return PinnedSpanMemory.Read(bytes, TfliteLength) is null ? null : Found("tflite", "magic", "structure");
        if (bytes.StartsWith("7767517"u8))
            return NcnnProbe.LooksLikeText(bytes) ? Found("ncnn", "magic", "structure") : null;
        if (NcnnProbe.LooksLikeBinary(bytes))
            return Found("ncnn", "magic", "structure");
        if (ZipReader.LooksLikeZip(bytes))
        {
            var names = PinnedSpanMemory.Read(bytes, EntryNames);
            if (PyTorchProbe.LooksLike(names)) return Found("pytorch", "magic", "structure");
            if (SnpeProbe.LooksLike(name, names)) return Found("snpe", "extension", "magic", "structure");
            return null;
        }
        if (Ends(".mnn"))
            return MnnNet.Looks(bytes, name) ? Found("mnn", "extension", "structure") : null;
        if (Ends(".nb"))
            return PaddleLiteProbe.Looks(bytes, name) ? Found("paddle", "extension", "magic") : null;
        // ONNX files often travel under generic names; the structural check is strict enough for these.
        if (Ends(".onnx") || Ends(".model") || Ends(".bin") || Ends(".pb") || Ends(".dat") || noExtension)
        {
            if (OnnxProbe.Looks(bytes)) return Found("onnx", Evidence(Ends(".onnx"), "structure"));
            if (Ends(".pb") && TfGraphProbe.Looks(bytes)) return Found("tf", "extension", "structure");
        }
        if (Ends(".caffemodel") && CaffeProbe.LooksLikeBinary(bytes))
            return Found("caffe", "extension", "structure");
        if ((Ends(".prototxt") || Ends(".txt") || Ends(".proto")) && CaffeProbe.LooksLikeText(bytes))
            return Found("caffe", Evidence(Ends(".prototxt"), "structure"));
        return null;
    }

    private static List<string> EntryNames(ReadOnlyMemory<byte> zip) =>
        ZipReader.Open(ByteSource.FromMemory(zip), ZipLimits.ModelContainer).Entries.Select(e => e.Name).ToList();

    /// <summary>"extension" joins the evidence only when the name carries the format's own extension.</summary>
    private static string[] Evidence(bool usualExtension, string evidence) =>
        usualExtension ? ["extension", evidence] : [evidence];

    private static Identification Found(string format, params string[] evidence) => new(format, evidence);
}
