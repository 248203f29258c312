using System.Text;

namespace GaugeNN.Formats.Text;

/// <summary>Helpers for the text formats (ncnn .param, Caffe prototxt): decoding hostile bytes as strict UTF-8.</summary>
internal static class TextLines
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The bytes as text, or null when they are not UTF-8 or hold control bytes no text model file has.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t')
                return null;
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
