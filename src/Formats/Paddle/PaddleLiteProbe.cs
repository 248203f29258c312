// Spec: Paddle-Lite naive-buffer model (.nb), lite/model_parser/model_parser.cc (LoadModelNaiveFromMemory):
// uint16 meta_version, then a 16-byte NUL-padded opt version string such as "v2.10".
using System.Buffers.Binary;

namespace GaugeNN.Formats.Paddle;

/// <summary>Paddle-Lite .nb, recognised conservatively: the .nb extension, a small meta version and an opt version.</summary>
internal static class PaddleLiteProbe
{
    private const int MetaVersionBytes = 2;
    private const int OptVersionBytes = 16;
    private const int MaxMetaVersion = 16;

    public static bool Looks(ReadOnlySpan<byte> bytes, string entryName)
    {
        if (!entryName.EndsWith(".nb", StringComparison.OrdinalIgnoreCase)) return false;
        if (bytes.Length < MetaVersionBytes + OptVersionBytes + 8) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes) > MaxMetaVersion) return false;
        var version = bytes.Slice(MetaVersionBytes, OptVersionBytes);
        int length = version.IndexOf((byte)0);
        if (length < 2) return false;
        if (version[0] != (byte)'v' || !char.IsAsciiDigit((char)version[1])) return false;
        foreach (byte b in version[..length])
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_')) return false;
        foreach (byte b in version[length..])
            if (b != 0) return false;
        return true;
    }
}
