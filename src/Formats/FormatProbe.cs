using System.Buffers.Binary;

namespace GaugeNN.Formats;

/// <summary>What a probe concluded: the format and the evidence it rests on (extension, magic, structure).</summary>
public sealed record Identification(string Format, IReadOnlyList<string> Evidence);

/// <summary>
/// Decides whether bytes are a model, and of which format, by magic and structure (first cut: magic only; the
/// format readers replace each check with a structural validation). Never throws on hostile input.
/// </summary>
public static class FormatProbe
{
    private const int NcnnMagic = 7767517;

    public static Identification? Identify(ReadOnlySpan<byte> bytes, string entryName)
    {
        if (bytes.Length >= 8 && bytes.Slice(4, 4).SequenceEqual("TFL3"u8))
            return new Identification("tflite", ["magic"]);
        if (bytes.StartsWith("7767517"u8))
            return new Identification("ncnn", ["magic"]);
        if (bytes.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(bytes) == NcnnMagic)
            return new Identification("ncnn", ["magic"]);
        return null;
    }

    /// <summary>
    /// The length of the TFLite FlatBuffer that starts at <paramref name="bytes"/>[0], found by walking it from the
    /// root; null when the bytes there are not a valid TFLite model.
    /// </summary>
    public static int? TfliteLength(ReadOnlyMemory<byte> bytes) => null;
}
