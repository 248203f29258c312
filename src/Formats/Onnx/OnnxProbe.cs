// Spec: ONNX ModelProto / GraphProto / NodeProto, schemas/onnx/onnx.proto (protobuf wire format).
using GaugeNN.Formats.Protobuf;

namespace GaugeNN.Formats.Onnx;

/// <summary>
/// Structural check that bytes are an ONNX ModelProto: every top-level field is one the schema defines with the
/// wire type it declares, ir_version is present, and the graph parses as a GraphProto whose nodes carry op types.
/// </summary>
internal static class OnnxProbe
{
    private const int MaxIrVersion = 64;

    public static bool Looks(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new ProtoReader(bytes, "onnx");
            bool hasIrVersion = false, hasGraph = false;
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field, wire)
                {
                    case (OnnxFields.Model.IrVersion, WireType.Varint):
                        ulong ir = reader.ReadVarint("ir_version");
                        hasIrVersion = ir is >= 1 and <= MaxIrVersion;
                        break;
                    case (OnnxFields.Model.Graph, WireType.LengthDelimited):
                        var graph = reader.ReadMessage("graph");
                        hasGraph = GraphLooks(ref graph);
                        break;
                    case (OnnxFields.Model.ModelVersion, WireType.Varint):
                        reader.ReadVarint("model_version");
                        break;
                    case (OnnxFields.Model.ProducerName or OnnxFields.Model.ProducerVersion or OnnxFields.Model.Domain
                        or OnnxFields.Model.DocString or OnnxFields.Model.OpsetImport or OnnxFields.Model.MetadataProps
                        or OnnxFields.Model.TrainingInfo or OnnxFields.Model.Functions, WireType.LengthDelimited):
                        reader.ReadBytes("model field");
                        break;
                    default:
                        return false;
                }
            }
            return hasIrVersion && hasGraph;
        }
        catch (MalformedModelException)
        {
            return false;
        }
    }

    private static bool GraphLooks(ref ProtoReader graph)
    {
        int nodes = 0, outputs = 0;
        while (graph.TryReadTag(out int field, out var wire))
        {
            if (wire != WireType.LengthDelimited) return false;
            var payload = graph.ReadMessage("graph field");
            if (field == OnnxFields.Graph.Node)
            {
                if (!NodeHasOpType(ref payload)) return false;
                nodes++;
            }
            else if (field == OnnxFields.Graph.Output) outputs++;
        }
        return nodes + outputs > 0;
    }

    private static bool NodeHasOpType(ref ProtoReader node)
    {
        bool hasOpType = false;
        while (node.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.Node.OpType && wire == WireType.LengthDelimited)
                hasOpType = node.ReadString("op_type").Length > 0;
            else
                node.Skip(wire, "node field");
        }
        return hasOpType;
    }
}
