// Spec: ncnn param format, https://github.com/Tencent/ncnn/wiki/param-and-model-file-structure (text and binary).
using System.Buffers.Binary;
using GaugeNN.Formats.Text;

namespace GaugeNN.Formats.Ncnn;

/// <summary>Structural checks for ncnn .param (text: magic line, then two counts) and .param.bin (int32 header).</summary>
internal static class NcnnProbe
{
    public const int Magic = 7767517;
    public const int MaxLayers = 1_000_000;
    private const int BinaryHeaderBytes = 12;
    private const int MinBinaryLayerBytes = 16;

    public static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("7767517"u8)) return false;
        var head = bytes[..Math.Min(bytes.Length, 4096)];
        string? text = TextLines.TryDecode(head.Length < bytes.Length ? TrimToLastNewline(head) : head);
        if (text is null) return false;
        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0].TrimEnd('\r') != "7767517") return false;
        var counts = lines[1].Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return counts.Length == 2 && int.TryParse(counts[0], out int layers) && int.TryParse(counts[1], out int blobs)
               && layers is > 0 and <= MaxLayers && blobs is > 0 and <= MaxLayers;
    }

    public static bool LooksLikeBinary(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < BinaryHeaderBytes || BinaryPrimitives.ReadInt32LittleEndian(bytes) != Magic) return false;
        int layers = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        int blobs = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        return layers is > 0 and <= MaxLayers && blobs is > 0 and <= MaxLayers
               && (long)layers * MinBinaryLayerBytes <= bytes.Length - BinaryHeaderBytes;
    }

    private static ReadOnlySpan<byte> TrimToLastNewline(ReadOnlySpan<byte> head)
    {
        int last = head.LastIndexOf((byte)'\n');
        return last < 0 ? head : head[..(last + 1)];
    }
}
