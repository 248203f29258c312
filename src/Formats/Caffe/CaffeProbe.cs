// Spec: Caffe NetParameter, BVLC caffe src/caffe/proto/caffe.proto (text format for .prototxt, binary for .caffemodel).
using System.Text.RegularExpressions;
using GaugeNN.Formats.Protobuf;
using GaugeNN.Formats.Text;

namespace GaugeNN.Formats.Caffe;

/// <summary>
/// Structural checks for Caffe: a prototxt is text with <c>layer {</c>/<c>layers {</c> blocks that declare a type (or a
/// net-level <c>input:</c> with dims); a caffemodel is a binary NetParameter whose layers parse and carry a type.
/// </summary>
internal static partial class CaffeProbe
{
    private const int MaxProbeTextBytes = 1 << 20;

    public static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 || bytes.Length > MaxProbeTextBytes) return false;
        string? text = TextLines.TryDecode(bytes);
        if (text is null) return false;
        bool layers = LayerBlock().IsMatch(text) && TypeField().IsMatch(text);
        bool netInput = NetInput().IsMatch(text) && (text.Contains("input_dim") || text.Contains("input_shape"));
        return layers || netInput;
    }

    public static bool LooksLikeBinary(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new ProtoReader(bytes, "caffe");
            int layers = 0;
            while (reader.TryReadTag(out int field, out var wire))
            {
                if (field is CaffeFields.Net.Layer or CaffeFields.Net.LegacyLayers && wire == WireType.LengthDelimited)
                {
                    var layer = reader.ReadMessage("layer");
                    if (!LayerHasType(ref layer, legacy: field == CaffeFields.Net.LegacyLayers)) return false;
                    layers++;
                }
                else if (CaffeFields.Net.IsKnown(field))
                    reader.Skip(wire, "net field");
                else
                    return false;
            }
            return layers > 0;
        }
        catch (MalformedModelException)
        {
            return false;
        }
    }

    private static bool LayerHasType(ref ProtoReader layer, bool legacy)
    {
        bool hasType = false;
        while (layer.TryReadTag(out int field, out var wire))
        {
            if (!legacy && field == CaffeFields.Layer.Type && wire == WireType.LengthDelimited)
                hasType = layer.ReadString("type").Length > 0;
            else if (legacy && field == CaffeFields.LegacyLayer.Type && wire == WireType.Varint)
                hasType = layer.ReadVarint("type") > 0;
            else
                layer.Skip(wire, "layer field");
        }
        return hasType;
    }

    [GeneratedRegex(@"(?m)^\s*layers?\s*\{")]
    private static partial Regex LayerBlock();

    [GeneratedRegex(@"(?m)^\s*type\s*:")]
    private static partial Regex TypeField();

    [GeneratedRegex(@"(?m)^\s*input\s*:\s*""")]
    private static partial Regex NetInput();
}
