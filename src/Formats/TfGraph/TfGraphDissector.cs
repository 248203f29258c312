// Spec: TensorFlow GraphDef, tensorflow/core/framework/graph.proto, node_def.proto, attr_value.proto,
// tensor.proto, tensor_shape.proto and types.proto (DataType); op semantics from tensorflow/core/ops/nn_ops.cc and
// math_ops.cc (Conv2D, DepthwiseConv2dNative, MatMul, pooling: SAME = ceil(in / stride), VALID = ceil((in - extent + 1) / stride)).
using System.Buffers.Binary;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.Protobuf;

namespace GaugeNN.Formats.TfGraph;

/// <summary>
/// Dissects a frozen GraphDef (or the GraphDef of a SavedModel's first MetaGraphDef): op histogram, Const tensors as
/// params (by their declared shape and dtype), Placeholder inputs with their declared shapes, and MACs of Conv2D,
/// DepthwiseConv2dNative and MatMul from shapes: a node's <c>_output_shapes</c> when the exporter wrote them, else
/// propagated from the Placeholders and Consts through the common ops. An unknown batch counts as 1; a MAC node whose
/// other dims stay unknown is an unknown-MAC node with the reason.
/// </summary>
internal static class TfGraphDissector
{
    private const string Format = "tf";
    private const int MaxRank = 64;
    private const int MaxConstantValues = 64;

    private static class Attr
    {
        public const int Key = 1, Value = 2;
    }

    private static class AttrValue
    {
        public const int List = 1, S = 2, I = 3, B = 5, Type = 6, Shape = 7, Tensor = 8;
    }

    private static class ListValue
    {
        public const int I = 3, Shape = 7;
    }

    private static class TensorProto
    {
        public const int Dtype = 1, Shape = 2, Content = 4, IntVal = 7, Int64Val = 10;
    }

    private static class Shape
    {
        public const int Dim = 2, UnknownRank = 3, DimSize = 1;
    }

    private const long DtInt32 = 3, DtInt64 = 9;

    private static readonly string[] DataTypes =
    [
        "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_STRING",
        "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16",
        "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32", "DT_UINT64",
    ];

    private static string TypeName(long type) => (ulong)type < (ulong)DataTypes.Length ? DataTypes[type] : $"DT_{type}";

    /// <summary>A constant tensor attribute: dtype, dims (null = unknown) and, for small integer tensors, the values.</summary>
    internal sealed record TfTensor(long Dtype, List<long?> Dims, long[]? Values);

    /// <summary>The attribute values shape rules read; everything else is only hashed.</summary>
    internal sealed class TfAttr
    {
        public string? S { get; set; }
        public long? I { get; set; }
        public bool? B { get; set; }
        public long? Type { get; set; }
        public List<long?>? Shape { get; set; }
        public TfTensor? Tensor { get; set; }
        public List<long> Ints { get; } = [];
        public List<List<long?>?> Shapes { get; } = [];
    }

    internal sealed record TfNode(string Name, string Op, List<string> Inputs, Dictionary<string, TfAttr> Attrs);

    public static ModelFacts Dissect(ReadOnlySpan<byte> bytes)
    {
        var facts = new ModelFacts(Format);
        var savedGraph = TfGraphFields.SavedModelGraph(bytes, out bool isSavedModel);
        facts.Metadata["container"] = isSavedModel ? "SavedModel" : "GraphDef";
        var reader = new ProtoReader(isSavedModel ? savedGraph : bytes, Format);
        var nodes = new List<TfNode>();
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field != TfGraphFields.Graph.Node || wire != WireType.LengthDelimited)
            {
                reader.Skip(wire, "GraphDef field");
                continue;
            }
            var node = reader.ReadMessage("node");
            nodes.Add(ReadNode(ref node, facts));
        }
        if (nodes.Count == 0) throw reader.Fail("node", "the graph has no nodes");
        facts.Metadata["last_layer"] = nodes[^1].Op;
        TfShapes.Count(nodes, facts);
        return facts;
    }

    /// <summary>Counts one NodeDef (histogram, params, Placeholder input, structure) and returns it.</summary>
    private static TfNode ReadNode(ref ProtoReader node, ModelFacts facts)
    {
        string name = "", op = "";
        var inputs = new List<string>();
        var attrs = new Dictionary<string, TfAttr>(StringComparer.Ordinal);
        while (node.TryReadTag(out int field, out var wire))
        {
            if (wire != WireType.LengthDelimited) { node.Skip(wire, "NodeDef field"); continue; }
            switch (field)
            {
                case TfGraphFields.Node.Name: name = node.ReadString("NodeDef.name"); break;
                case TfGraphFields.Node.Op: op = node.ReadString("NodeDef.op"); break;
                case TfGraphFields.Node.Input:
                    string input = node.ReadString("NodeDef.input");
                    facts.Structure.AddName(input);
                    inputs.Add(input);
                    break;
                case TfGraphFields.Node.Attr:
                    var entry = node.ReadMessage("NodeDef.attr");
                    var (key, value) = ReadAttr(ref entry, facts.Structure);
                    attrs[key] = value;
                    break;
                default: node.Skip(wire, "NodeDef field"); break;
            }
        }
        if (op.Length == 0) throw node.Fail("NodeDef.op", "a node has no op");
        facts.Layers++;
        facts.Ops.Add(op);
        facts.Structure.Add(op);
        if (op.Contains("Quantize", StringComparison.Ordinal)) facts.Quantized = true;
        if (op == "Const" && attrs.GetValueOrDefault("value")?.Tensor is { } tensor)
        {
            long elements = 1;
            foreach (long? d in tensor.Dims)
            {
                if (d is > 0 && elements > long.MaxValue / d.Value) throw node.Fail("tensor_shape", "element count overflows");
                elements *= d ?? 1;
            }
            facts.Params += elements;
            facts.WeightDtypes.Add(TypeName(tensor.Dtype), elements);
        }
        if (op == "Placeholder")
        {
            facts.Inputs.Add(TensorSpec.Of(name, attrs.GetValueOrDefault("shape")?.Shape ?? [], TypeName(attrs.GetValueOrDefault("dtype")?.Type ?? 0)));
            facts.Names.Add(name);
        }
        return new TfNode(name, op, inputs, attrs);
    }

    private static (string Key, TfAttr Value) ReadAttr(ref ProtoReader entry, StructureHash hash)
    {
        string key = "";
        var attr = new TfAttr();
        while (entry.TryReadTag(out int field, out var wire))
        {
            if (field == Attr.Key && wire == WireType.LengthDelimited) key = entry.ReadString("attr.key");
            else if (field == Attr.Value && wire == WireType.LengthDelimited)
            {
                var value = entry.ReadMessage("attr.value");
                hash.Add(key);
                while (value.TryReadTag(out int valueField, out var valueWire))
                {
                    switch (valueField, valueWire)
                    {
                        case (AttrValue.Type, WireType.Varint): attr.Type = value.ReadInt64("attr.type"); break;
                        case (AttrValue.Shape, WireType.LengthDelimited):
                            var shapeReader = value.ReadMessage("attr.shape");
                            attr.Shape = ReadShape(ref shapeReader);
                            break;
                        case (AttrValue.Tensor, WireType.LengthDelimited):
                            var tensorReader = value.ReadMessage("attr.tensor");
                            attr.Tensor = ReadTensor(ref tensorReader);
                            hash.Add(attr.Tensor.Dtype);
                            foreach (var d in attr.Tensor.Dims) hash.Add(d ?? -1);
                            break;
                        case (AttrValue.List, WireType.LengthDelimited):
                            var listBytes = value.ReadBytes("attr.list");
                            hash.Add(listBytes);
                            var list = new ProtoReader(listBytes, Format);
                            ReadList(ref list, attr);
                            break;
                        case (AttrValue.S, WireType.LengthDelimited):
                            var s = value.ReadBytes("attr.s");
                            hash.Add(s);
                            attr.S = System.Text.Encoding.UTF8.GetString(s);
                            break;
                        case (AttrValue.I, WireType.Varint):
                            attr.I = value.ReadInt64("attr.i");
                            hash.Add(attr.I.Value);
                            break;
                        case (AttrValue.B, WireType.Varint):
                            attr.B = value.ReadVarint("attr.b") != 0;
                            hash.Add(attr.B.Value ? 1 : 0);
                            break;
                        case (_, WireType.LengthDelimited): hash.Add(value.ReadBytes("attr.value")); break;
                        case (_, WireType.Varint): hash.Add(value.ReadInt64("attr.value")); break;
                        default: value.Skip(valueWire, "AttrValue field"); break;
                    }
                }
            }
            else entry.Skip(wire, "attr entry field");
        }
        return (key, attr);
    }

    private static void ReadList(ref ProtoReader list, TfAttr attr)
    {
        while (list.TryReadTag(out int field, out var wire))
        {
            if (field == ListValue.I && wire == WireType.Varint) attr.Ints.Add(list.ReadInt64("list.i"));
            else if (field == ListValue.I && wire == WireType.LengthDelimited)
            {
                var packed = list.ReadMessage("list.i");
                while (!packed.AtEnd && attr.Ints.Count <= MaxRank) attr.Ints.Add(packed.ReadInt64("list.i"));
            }
            else if (field == ListValue.Shape && wire == WireType.LengthDelimited)
            {
                var shape = list.ReadMessage("list.shape");
                if (attr.Shapes.Count < MaxRank) attr.Shapes.Add(ReadShape(ref shape));
            }
            else list.Skip(wire, "ListValue field");
        }
    }

    private static TfTensor ReadTensor(ref ProtoReader tensor)
    {
        long dtype = 0;
        List<long?> dims = [];
        var values = new List<long>();
        ReadOnlySpan<byte> content = default;
        while (tensor.TryReadTag(out int field, out var wire))
        {
            switch (field, wire)
            {
                case (TensorProto.Dtype, WireType.Varint): dtype = tensor.ReadInt64("tensor.dtype"); break;
                case (TensorProto.Shape, WireType.LengthDelimited):
                    var shapeReader = tensor.ReadMessage("tensor.tensor_shape");
                    dims = ReadShape(ref shapeReader) ?? [];
                    break;
                case (TensorProto.Content, WireType.LengthDelimited): content = tensor.ReadBytes("tensor.tensor_content"); break;
                case (TensorProto.IntVal or TensorProto.Int64Val, WireType.Varint):
                    long single = tensor.ReadInt64("tensor.int_val");
                    if (values.Count <= MaxConstantValues) values.Add(single);
                    break;
                case (TensorProto.IntVal or TensorProto.Int64Val, WireType.LengthDelimited):
                    var packed = tensor.ReadMessage("tensor.int_val");
                    while (!packed.AtEnd && values.Count <= MaxConstantValues) values.Add(packed.ReadInt64("tensor.int_val"));
                    break;
                default: tensor.Skip(wire, "TensorProto field"); break;
            }
        }
        return new TfTensor(dtype, dims, IntegerValues(dtype, dims, values, content));
    }

    /// <summary>Values of a small int32/int64 tensor (tensor_content, or *_val with the last value repeated to fill).</summary>
    private static long[]? IntegerValues(long dtype, List<long?> dims, List<long> values, ReadOnlySpan<byte> content)
    {
        if (dtype is not (DtInt32 or DtInt64) || dims.Any(d => d is null)) return null;
        long count = dims.Aggregate(1L, (p, d) => p * d!.Value);
        if (count > MaxConstantValues) return null;
        int width = dtype == DtInt32 ? 4 : 8;
        if (content.Length > 0)
        {
            if (content.Length != count * width) return null;
            var result = new long[count];
            for (int i = 0; i < count; i++)
                result[i] = width == 4 ? BinaryPrimitives.ReadInt32LittleEndian(content[(i * 4)..]) : BinaryPrimitives.ReadInt64LittleEndian(content[(i * 8)..]);
            return result;
        }
        if (values.Count == 0 || values.Count > count) return count == 0 ? [] : null;
        return Enumerable.Range(0, (int)count).Select(i => width == 4 ? unchecked((int)values[Math.Min(i, values.Count - 1)]) : values[Math.Min(i, values.Count - 1)]).ToArray();
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
