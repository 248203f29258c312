// Spec: TensorFlow GraphDef, tensorflow/core/framework/graph.proto, node_def.proto, attr_value.proto,
// tensor.proto, tensor_shape.proto and types.proto (DataType).
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.Protobuf;

namespace GaugeNN.Formats.TfGraph;

/// <summary>
/// Dissects a frozen GraphDef (or the GraphDef of a SavedModel's first MetaGraphDef): op histogram, Const tensors as params (by their declared shape and dtype) and
/// Placeholder inputs with their declared shapes. MACs are not computed for GraphDefs (no shape inference).
/// </summary>
internal static class TfGraphDissector
{
    private const string Format = "tf";
    private const int MaxRank = 64;

    private static class Attr
    {
        public const int Key = 1, Value = 2;
    }

    private static class AttrValue
    {
        public const int Type = 6, Shape = 7, Tensor = 8;
    }

    private static class TensorProto
    {
        public const int Dtype = 1, Shape = 2;
    }

    private static class Shape
    {
        public const int Dim = 2, UnknownRank = 3, DimSize = 1;
    }

    private static readonly string[] DataTypes =
    [
        "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_STRING",
        "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16",
        "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32", "DT_UINT64",
    ];

    private static string TypeName(long type) => (ulong)type < (ulong)DataTypes.Length ? DataTypes[type] : $"DT_{type}";

    public static ModelFacts Dissect(ReadOnlySpan<byte> bytes)
    {
        var facts = new ModelFacts(Format);
        var savedGraph = TfGraphFields.SavedModelGraph(bytes, out bool isSavedModel);
        facts.Metadata["container"] = isSavedModel ? "SavedModel" : "GraphDef";
        var reader = new ProtoReader(isSavedModel ? savedGraph : bytes, Format);
        string lastOp = "";
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field != TfGraphFields.Graph.Node || wire != WireType.LengthDelimited)
            {
                reader.Skip(wire, "GraphDef field");
                continue;
            }
            var node = reader.ReadMessage("node");
            lastOp = ReadNode(ref node, facts);
        }
        if (facts.Layers == 0) throw reader.Fail("node", "the graph has no nodes");
        facts.Metadata["last_layer"] = lastOp;
        return facts;
    }

    /// <summary>Counts one NodeDef; returns its op.</summary>
    private static string ReadNode(ref ProtoReader node, ModelFacts facts)
    {
        string name = "", op = "";
        long dtype = 0;
        List<long?>? shape = null, constantShape = null;
        long constantType = 0;
        while (node.TryReadTag(out int field, out var wire))
        {
            if (wire != WireType.LengthDelimited) { node.Skip(wire, "NodeDef field"); continue; }
            switch (field)
            {
                case TfGraphFields.Node.Name: name = node.ReadString("NodeDef.name"); break;
                case TfGraphFields.Node.Op: op = node.ReadString("NodeDef.op"); break;
                case TfGraphFields.Node.Input: facts.Structure.AddName(node.ReadString("NodeDef.input")); break;
                case TfGraphFields.Node.Attr:
                    var entry = node.ReadMessage("NodeDef.attr");
                    ReadAttr(ref entry, ref dtype, ref shape, ref constantShape, ref constantType, facts.Structure);
                    break;
                default: node.Skip(wire, "NodeDef field"); break;
            }
        }
        if (op.Length == 0) throw node.Fail("NodeDef.op", "a node has no op");
        facts.Layers++;
        facts.Ops.Add(op);
        facts.Structure.Add(op);
        if (op.Contains("Quantize", StringComparison.Ordinal)) facts.Quantized = true;
        if (op == "Const" && constantShape is not null)
        {
            long elements = 1;
            foreach (long? d in constantShape)
            {
                if (d is > 0 && elements > long.MaxValue / d.Value) throw node.Fail("tensor_shape", "element count overflows");
                elements *= d ?? 1;
            }
            facts.Params += elements;
            facts.WeightDtypes.Add(TypeName(constantType), elements);
        }
        if (op == "Placeholder")
        {
            facts.Inputs.Add(TensorSpec.Of(name, shape ?? [], TypeName(dtype)));
            facts.Names.Add(name);
        }
        return op;
    }

    private static void ReadAttr(ref ProtoReader entry, ref long dtype, ref List<long?>? shape,
        ref List<long?>? constantShape, ref long constantType, StructureHash hash)
    {
        string key = "";
        while (entry.TryReadTag(out int field, out var wire))
        {
            if (field == Attr.Key && wire == WireType.LengthDelimited) key = entry.ReadString("attr.key");
            else if (field == Attr.Value && wire == WireType.LengthDelimited)
            {
                var value = entry.ReadMessage("attr.value");
                hash.Add(key);
                while (value.TryReadTag(out int valueField, out var valueWire))
                {
                    if (valueField == AttrValue.Type && valueWire == WireType.Varint) dtype = value.ReadInt64("attr.type");
                    else if (valueField == AttrValue.Shape && valueWire == WireType.LengthDelimited)
                    {
                        var shapeReader = value.ReadMessage("attr.shape");
                        shape = ReadShape(ref shapeReader);
                    }
                    else if (valueField == AttrValue.Tensor && valueWire == WireType.LengthDelimited)
                    {
                        var tensor = value.ReadMessage("attr.tensor");
                        while (tensor.TryReadTag(out int tensorField, out var tensorWire))
                        {
                            if (tensorField == TensorProto.Dtype && tensorWire == WireType.Varint) constantType = tensor.ReadInt64("tensor.dtype");
                            else if (tensorField == TensorProto.Shape && tensorWire == WireType.LengthDelimited)
                            {
                                var shapeReader = tensor.ReadMessage("tensor.tensor_shape");
                                constantShape = ReadShape(ref shapeReader) ?? [];
                            }
                            else tensor.Skip(tensorWire, "TensorProto field");
                        }
                        constantShape ??= [];
                        hash.Add(constantType);
                        foreach (var d in constantShape) hash.Add(d ?? -1);
                    }
                    else if (valueWire == WireType.LengthDelimited) hash.Add(value.ReadBytes("attr.value"));
                    else if (valueWire == WireType.Varint) hash.Add(value.ReadInt64("attr.value"));
                    else value.Skip(valueWire, "AttrValue field");
                }
            }
            else entry.Skip(wire, "attr entry field");
        }
    }

    private static List<long?>? ReadShape(ref ProtoReader reader)
    {
        var dims = new List<long?>();
        bool unknownRank = false;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == Shape.Dim && wire == WireType.LengthDelimited)
            {
                if (dims.Count >= MaxRank) throw reader.Fail("shape.dim", "rank is too large");
                var dim = reader.ReadMessage("shape.dim");
                long size = -1;
                while (dim.TryReadTag(out int dimField, out var dimWire))
                {
                    if (dimField == Shape.DimSize && dimWire == WireType.Varint) size = dim.ReadInt64("dim.size");
                    else dim.Skip(dimWire, "Dim field");
                }
                dims.Add(size >= 0 ? size : null);
            }
            else if (field == Shape.UnknownRank && wire == WireType.Varint) unknownRank = reader.ReadVarint("unknown_rank") != 0;
            else reader.Skip(wire, "TensorShapeProto field");
        }
        return unknownRank ? null : dims;
    }
}
