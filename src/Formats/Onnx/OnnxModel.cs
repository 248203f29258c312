// Spec: ONNX ModelProto, schemas/onnx/onnx.proto (protobuf wire format, proto2 with packed repeated scalars).
using System.Buffers.Binary;
using GaugeNN.Formats.Protobuf;

namespace GaugeNN.Formats.Onnx;

/// <summary>A dimension: a known value, a named symbol, or neither (unknown).</summary>
internal readonly record struct Dim(long? Value, string? Param)
{
    public static readonly Dim Unknown = new(null, null);
    public static Dim Of(long value) => new(value, null);
    public bool Known => Value is not null;
}

/// <summary>
/// An initializer or tensor attribute: dims and type; the values only of small integer and float tensors (the
/// operands shape rules read); <see cref="External"/> when its bytes live in another file (external data).
/// </summary>
internal sealed record OnnxTensor(string Name, long[] Dims, int DataType, long[]? IntValues, float[]? FloatValues = null,
    bool External = false);

internal sealed record OnnxValueInfo(string Name, Dim[]? Shape, int ElemType);

internal sealed class OnnxAttribute
{
    public string Name { get; set; } = "";
    public float F { get; set; }
    public long I { get; set; }
    public bool HasI { get; set; }
    public string? S { get; set; }
    public OnnxTensor? T { get; set; }
    public bool HasSparseTensor { get; set; }
    public long SparseElements { get; set; }
    public int SparseDataType { get; set; }
    public List<long> Ints { get; } = [];
    public int FloatCount { get; set; }
    public List<float> Floats { get; } = [];
    public int StringCount { get; set; }
    public List<OnnxGraph> Graphs { get; } = [];
}

internal sealed class OnnxNode
{
    public string Name { get; set; } = "";
    public string OpType { get; set; } = "";
    public string Domain { get; set; } = "";
    public List<string> Inputs { get; } = [];
    public List<string> Outputs { get; } = [];
    public List<OnnxAttribute> Attributes { get; } = [];

    public bool IsDefaultDomain => Domain is "" or "ai.onnx";
    public string Key => Domain.Length == 0 ? OpType : $"{Domain}::{OpType}";
    public OnnxAttribute? Attribute(string name) => Attributes.Find(a => a.Name == name);
    public long Int(string name, long fallback) => Attribute(name) is { HasI: true } a ? a.I : fallback;
    public List<long>? Ints(string name) => Attribute(name) is { Ints.Count: > 0 } a ? a.Ints : null;
    public string? String(string name) => Attribute(name)?.S;
}

internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes { get; } = [];
    public List<OnnxTensor> Initializers { get; } = [];
    public List<OnnxValueInfo> Inputs { get; } = [];
    public List<OnnxValueInfo> Outputs { get; } = [];
    public List<OnnxValueInfo> ValueInfo { get; } = [];
    public string Name { get; set; } = "";
}

internal sealed class OnnxModel
{
    public long IrVersion { get; set; }
    public string ProducerName { get; set; } = "";
    public string ProducerVersion { get; set; } = "";
    public List<(string Domain, long Version)> OpsetImports { get; } = [];
    public OnnxGraph Graph { get; set; } = new();
    public string Domain { get; set; } = "";
    public long ModelVersion { get; set; }
    public List<(string Key, string Value)> MetadataProps { get; } = [];
    /// <summary>Model-local functions as <c>domain::name</c> with their node counts (bodies are not expanded).</summary>
    public List<(string Name, int Nodes)> Functions { get; } = [];

    public long DefaultOpset => OpsetImports.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
}

/// <summary>
/// Reads a ModelProto into <see cref="OnnxModel"/>: graphs (nested through If/Loop/Scan attributes, depth capped),
/// nodes, initializers (dims and type; values only for small integer tensors that shape inference needs), value infos.
/// </summary>
internal static class OnnxModelReader
{
    private const string Format = "onnx";
    private const int MaxGraphDepth = 32;
    private const int MaxRank = 64;
    private const int MaxIntValues = 64;

    public static OnnxModel Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes, Format);
        var model = new OnnxModel();
        bool hasGraph = false;
        while (reader.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case OnnxFields.Model.IrVersion:
                    Expect(ref reader, wire, WireType.Varint, "ir_version");
                    model.IrVersion = reader.ReadInt64("ir_version");
                    break;
                case OnnxFields.Model.ProducerName:
                    Expect(ref reader, wire, WireType.LengthDelimited, "producer_name");
                    model.ProducerName = reader.ReadString("producer_name");
                    break;
                case OnnxFields.Model.ProducerVersion:
                    Expect(ref reader, wire, WireType.LengthDelimited, "producer_version");
                    model.ProducerVersion = reader.ReadString("producer_version");
                    break;
                case OnnxFields.Model.OpsetImport:
                    Expect(ref reader, wire, WireType.LengthDelimited, "opset_import");
                    var opset = reader.ReadMessage("opset_import");
                    model.OpsetImports.Add(ReadOpset(ref opset));
                    break;
                case OnnxFields.Model.Domain:
                    Expect(ref reader, wire, WireType.LengthDelimited, "domain");
                    model.Domain = reader.ReadString("domain");
                    break;
                case OnnxFields.Model.ModelVersion:
                    Expect(ref reader, wire, WireType.Varint, "model_version");
                    model.ModelVersion = reader.ReadInt64("model_version");
                    break;
                case OnnxFields.Model.MetadataProps:
                    Expect(ref reader, wire, WireType.LengthDelimited, "metadata_props");
                    var entry = reader.ReadMessage("metadata_props");
                    model.MetadataProps.Add(ReadEntry(ref entry));
                    break;
                case OnnxFields.Model.Functions:
                    Expect(ref reader, wire, WireType.LengthDelimited, "functions");
                    var function = reader.ReadMessage("functions");
                    model.Functions.Add(ReadFunction(ref function));
                    break;
                case OnnxFields.Model.Graph:
                    Expect(ref reader, wire, WireType.LengthDelimited, "graph");
                    var graph = reader.ReadMessage("graph");
                    model.Graph = ReadGraph(ref graph, 0);
                    hasGraph = true;
                    break;
                default:
                    reader.Skip(wire, "ModelProto field");
                    break;
            }
        }
        if (!hasGraph) throw reader.Fail("graph", "the model has no graph");
        return model;
    }

    /// <summary>A StringStringEntryProto (metadata_props, external_data).</summary>
    private static (string Key, string Value) ReadEntry(ref ProtoReader reader)
    {
        string key = "", value = "";
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.Entry.Key && wire == WireType.LengthDelimited) key = reader.ReadString("entry.key");
            else if (field == OnnxFields.Entry.Value && wire == WireType.LengthDelimited) value = reader.ReadString("entry.value");
            else reader.Skip(wire, "StringStringEntryProto field");
        }
        return (key, value);
    }

    /// <summary>A FunctionProto's name and node count; its nodes are checked to be NodeProtos but not kept.</summary>
    private static (string, int) ReadFunction(ref ProtoReader reader)
    {
        string name = "", domain = "";
        int nodes = 0;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.Function.Name && wire == WireType.LengthDelimited) name = reader.ReadString("function.name");
            else if (field == OnnxFields.Function.Domain && wire == WireType.LengthDelimited) domain = reader.ReadString("function.domain");
            else if (field == OnnxFields.Function.Node && wire == WireType.LengthDelimited)
            {
                var node = reader.ReadMessage("function.node");
                ReadNode(ref node, 1);
                nodes++;
            }
            else reader.Skip(wire, "FunctionProto field");
        }
        return (domain.Length == 0 ? name : $"{domain}::{name}", nodes);
    }

    private static (string, long) ReadOpset(ref ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.OperatorSet.Domain && wire == WireType.LengthDelimited) domain = reader.ReadString("opset.domain");
            else if (field == OnnxFields.OperatorSet.Version && wire == WireType.Varint) version = reader.ReadInt64("opset.version");
            else reader.Skip(wire, "OperatorSetIdProto field");
        }
        return (domain, version);
    }

    private static OnnxGraph ReadGraph(ref ProtoReader reader, int depth)
    {
        if (depth > MaxGraphDepth) throw reader.Fail("graph", "graphs are nested too deeply");
        var graph = new OnnxGraph();
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (wire != WireType.LengthDelimited)
            {
                reader.Skip(wire, "GraphProto field");
                continue;
            }
            switch (field)
            {
                case OnnxFields.Graph.Node:
                    var node = reader.ReadMessage("node");
                    graph.Nodes.Add(ReadNode(ref node, depth));
                    break;
                case OnnxFields.Graph.Name:
                    graph.Name = reader.ReadString("graph.name");
                    break;
                case OnnxFields.Graph.Initializer:
                    var tensor = reader.ReadMessage("initializer");
                    graph.Initializers.Add(ReadTensor(ref tensor));
                    break;
                case OnnxFields.Graph.SparseInitializer:
                    var sparse = reader.ReadMessage("sparse_initializer");
                    var (dims, values) = ReadSparse(ref sparse);
                    graph.Initializers.Add(new OnnxTensor(values.Name, dims, values.DataType, null));
                    break;
                case OnnxFields.Graph.Input or OnnxFields.Graph.Output or OnnxFields.Graph.ValueInfo:
                    var info = reader.ReadMessage("value_info");
                    var list = field == OnnxFields.Graph.Input ? graph.Inputs : field == OnnxFields.Graph.Output ? graph.Outputs : graph.ValueInfo;
                    list.Add(ReadValueInfo(ref info));
                    break;
                default:
                    reader.Skip(wire, "GraphProto field");
                    break;
            }
        }
        return graph;
    }

    private static OnnxNode ReadNode(ref ProtoReader reader, int depth)
    {
        var node = new OnnxNode();
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (wire != WireType.LengthDelimited)
            {
                reader.Skip(wire, "NodeProto field");
                continue;
            }
            switch (field)
            {
                case OnnxFields.Node.Input: node.Inputs.Add(reader.ReadString("node.input")); break;
                case OnnxFields.Node.Output: node.Outputs.Add(reader.ReadString("node.output")); break;
                case OnnxFields.Node.Name: node.Name = reader.ReadString("node.name"); break;
                case OnnxFields.Node.OpType: node.OpType = reader.ReadString("node.op_type"); break;
                case OnnxFields.Node.Domain: node.Domain = reader.ReadString("node.domain"); break;
                case OnnxFields.Node.Attribute:
                    var attribute = reader.ReadMessage("node.attribute");
                    node.Attributes.Add(ReadAttribute(ref attribute, depth));
                    break;
                default: reader.Skip(wire, "NodeProto field"); break;
            }
        }
        if (node.OpType.Length == 0) throw reader.Fail("node.op_type", "a node has no op_type");
        return node;
    }

    private static OnnxAttribute ReadAttribute(ref ProtoReader reader, int depth)
    {
        var attribute = new OnnxAttribute();
        while (reader.TryReadTag(out int field, out var wire))
        {
            switch (field, wire)
            {
                case (OnnxFields.Attribute.Name, WireType.LengthDelimited): attribute.Name = reader.ReadString("attribute.name"); break;
                case (OnnxFields.Attribute.F, WireType.Fixed32):
                    attribute.F = BitConverter.UInt32BitsToSingle(reader.ReadFixed32("attribute.f"));
                    break;
                case (OnnxFields.Attribute.I, WireType.Varint):
                    attribute.I = reader.ReadInt64("attribute.i");
                    attribute.HasI = true;
                    break;
                case (OnnxFields.Attribute.S, WireType.LengthDelimited):
                    attribute.S = System.Text.Encoding.UTF8.GetString(reader.ReadBytes("attribute.s"));
                    break;
                case (OnnxFields.Attribute.T, WireType.LengthDelimited):
                    var tensor = reader.ReadMessage("attribute.t");
                    attribute.T = ReadTensor(ref tensor);
                    break;
                case (OnnxFields.Attribute.SparseTensor, WireType.LengthDelimited):
                    var sparse = reader.ReadMessage("attribute.sparse_tensor");
                    var (dims, values) = ReadSparse(ref sparse);
                    attribute.HasSparseTensor = true;
                    attribute.SparseElements = Product(dims, ref reader);
                    attribute.SparseDataType = values.DataType;
                    break;
                case (OnnxFields.Attribute.G, WireType.LengthDelimited):
                    var graph = reader.ReadMessage("attribute.g");
                    attribute.Graphs.Add(ReadGraph(ref graph, depth + 1));
                    break;
                case (OnnxFields.Attribute.Graphs, WireType.LengthDelimited):
                    var graphs = reader.ReadMessage("attribute.graphs");
                    attribute.Graphs.Add(ReadGraph(ref graphs, depth + 1));
                    break;
                case (OnnxFields.Attribute.Floats, WireType.LengthDelimited):
                    var floats = reader.ReadBytes("attribute.floats");
                    attribute.FloatCount += floats.Length / 4;
                    for (int i = 0; i + 4 <= floats.Length && attribute.Floats.Count < MaxIntValues; i += 4)
                        attribute.Floats.Add(BinaryPrimitives.ReadSingleLittleEndian(floats[i..]));
                    break;
                case (OnnxFields.Attribute.Floats, WireType.Fixed32):
                    float single = BitConverter.UInt32BitsToSingle(reader.ReadFixed32("attribute.floats"));
                    if (attribute.Floats.Count < MaxIntValues) attribute.Floats.Add(single);
                    attribute.FloatCount++;
                    break;
                case (OnnxFields.Attribute.Ints, WireType.LengthDelimited):
                    var packed = reader.ReadMessage("attribute.ints");
                    while (!packed.AtEnd) attribute.Ints.Add(packed.ReadInt64("attribute.ints"));
                    break;
                case (OnnxFields.Attribute.Ints, WireType.Varint):
                    attribute.Ints.Add(reader.ReadInt64("attribute.ints"));
                    break;
                case (OnnxFields.Attribute.Strings, WireType.LengthDelimited):
                    reader.ReadBytes("attribute.strings");
                    attribute.StringCount++;
                    break;
                default: reader.Skip(wire, "AttributeProto field"); break;
            }
        }
        return attribute;
    }

    private static (long[] Dims, OnnxTensor Values) ReadSparse(ref ProtoReader reader)
    {
        var dims = new List<long>();
        OnnxTensor? values = null;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.SparseTensor.Values && wire == WireType.LengthDelimited)
            {
                var tensor = reader.ReadMessage("sparse.values");
                values = ReadTensor(ref tensor);
            }
            else if (field == OnnxFields.SparseTensor.Dims) ReadInt64s(ref reader, wire, dims, "sparse.dims");
            else reader.Skip(wire, "SparseTensorProto field");
        }
        if (values is null) throw reader.Fail("sparse.values", "a sparse tensor has no values");
        return (dims.ToArray(), values);
    }

    private static OnnxTensor ReadTensor(ref ProtoReader reader)
    {
        var dims = new List<long>();
        var ints = new List<long>();
        var floats = new List<float>();
        int dataType = 0;
        string name = "";
        bool external = false;
        ReadOnlySpan<byte> raw = default;
        while (reader.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case OnnxFields.Tensor.DataLocation when wire == WireType.Varint:
                    external |= reader.ReadVarint("tensor.data_location") == OnnxFields.Tensor.External;
                    break;
                case OnnxFields.Tensor.ExternalData when wire == WireType.LengthDelimited:
                    var entry = reader.ReadMessage("tensor.external_data");
                    ReadEntry(ref entry);
                    break;
                case OnnxFields.Tensor.FloatData when wire == WireType.Fixed32:
                    float single = BitConverter.UInt32BitsToSingle(reader.ReadFixed32("tensor.float_data"));
                    if (floats.Count <= MaxIntValues) floats.Add(single);
                    break;
                case OnnxFields.Tensor.FloatData when wire == WireType.LengthDelimited:
                    var packed = reader.ReadBytes("tensor.float_data");
                    for (int i = 0; i + 4 <= packed.Length && floats.Count <= MaxIntValues; i += 4)
                        floats.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[i..]));
                    break;
                case OnnxFields.Tensor.Dims: ReadInt64s(ref reader, wire, dims, "tensor.dims"); break;
                case OnnxFields.Tensor.DataType when wire == WireType.Varint: dataType = reader.ReadInt32("tensor.data_type"); break;
                case OnnxFields.Tensor.Name when wire == WireType.LengthDelimited: name = reader.ReadString("tensor.name"); break;
                case OnnxFields.Tensor.RawData when wire == WireType.LengthDelimited: raw = reader.ReadBytes("tensor.raw_data"); break;
                case OnnxFields.Tensor.Int64Data or OnnxFields.Tensor.Int32Data when ints.Count < MaxIntValues:
                    ReadInt64s(ref reader, wire, ints, "tensor.int_data");
                    break;
                default: reader.Skip(wire, "TensorProto field"); break;
            }
            if (dims.Count > MaxRank) throw reader.Fail("tensor.dims", "tensor rank is too large");
        }
        foreach (long d in dims)
            if (d < 0) throw reader.Fail("tensor.dims", $"dimension {d} is negative");
        long count = Product(dims.ToArray(), ref reader);
        long[]? values = null;
        bool integer = dataType is OnnxDataTypes.Int64 or OnnxDataTypes.Int32;
        if (integer && count <= MaxIntValues)
        {
            int width = dataType == OnnxDataTypes.Int64 ? 8 : 4;
            if (raw.Length == count * width)
            {
                values = new long[count];
                for (int i = 0; i < count; i++)
                    values[i] = width == 8 ? BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]) : BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
            }
            else if (ints.Count == count)
                values = ints.Select(v => width == 4 ? unchecked((int)v) : v).ToArray();
        }
        float[]? floatValues = null;
        if (dataType == OnnxDataTypes.Float && count <= MaxIntValues)
        {
            if (raw.Length == count * 4)
            {
                floatValues = new float[count];
                for (int i = 0; i < count; i++) floatValues[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
            }
            else if (floats.Count == count) floatValues = floats.ToArray();
        }
        // External data: the values are in another file, so nothing is read from the (absent) bytes.
        return external ? new OnnxTensor(name, dims.ToArray(), dataType, null, null, true)
            : new OnnxTensor(name, dims.ToArray(), dataType, values, floatValues);
    }

    private static void ReadInt64s(ref ProtoReader reader, WireType wire, List<long> into, string field)
    {
        if (wire == WireType.Varint)
        {
            into.Add(reader.ReadInt64(field));
            return;
        }
        if (wire != WireType.LengthDelimited) throw reader.Fail(field, $"wire type {(int)wire} for a repeated int64");
        var packed = reader.ReadMessage(field);
        while (!packed.AtEnd)
        {
            into.Add(packed.ReadInt64(field));
            if (into.Count > MaxIntValues && field == "tensor.int_data") return;
            if (into.Count > MaxRank && field != "tensor.int_data") throw reader.Fail(field, "too many dimensions");
        }
    }

    private static OnnxValueInfo ReadValueInfo(ref ProtoReader reader)
    {
        string name = "";
        Dim[]? shape = null;
        int elemType = 0;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.ValueInfo.Name && wire == WireType.LengthDelimited) name = reader.ReadString("value_info.name");
            else if (field == OnnxFields.ValueInfo.Type && wire == WireType.LengthDelimited)
            {
                var type = reader.ReadMessage("value_info.type");
                while (type.TryReadTag(out int typeField, out var typeWire))
                {
                    if (typeField == OnnxFields.TypeProto.TensorType && typeWire == WireType.LengthDelimited)
                    {
                        var tensorType = type.ReadMessage("type.tensor_type");
                        (shape, elemType) = ReadTensorType(ref tensorType);
                    }
                    else type.Skip(typeWire, "TypeProto field");
                }
            }
            else reader.Skip(wire, "ValueInfoProto field");
        }
        return new OnnxValueInfo(name, shape, elemType);
    }

    private static (Dim[]?, int) ReadTensorType(ref ProtoReader reader)
    {
        Dim[]? shape = null;
        int elemType = 0;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.TensorTypeProto.ElemType && wire == WireType.Varint) elemType = reader.ReadInt32("elem_type");
            else if (field == OnnxFields.TensorTypeProto.Shape && wire == WireType.LengthDelimited)
            {
                var dims = new List<Dim>();
                var shapeReader = reader.ReadMessage("shape");
                while (shapeReader.TryReadTag(out int dimField, out var dimWire))
                {
                    if (dimField != OnnxFields.TensorShape.Dim || dimWire != WireType.LengthDelimited)
                    {
                        shapeReader.Skip(dimWire, "TensorShapeProto field");
                        continue;
                    }
                    if (dims.Count >= MaxRank) throw shapeReader.Fail("shape.dim", "rank is too large");
                    var dim = shapeReader.ReadMessage("shape.dim");
                    dims.Add(ReadDim(ref dim));
                }
                shape = dims.ToArray();
            }
            else reader.Skip(wire, "TypeProto.Tensor field");
        }
        return (shape, elemType);
    }

    private static Dim ReadDim(ref ProtoReader reader)
    {
        var dim = Dim.Unknown;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == OnnxFields.Dimension.DimValue && wire == WireType.Varint) dim = Dim.Of(reader.ReadInt64("dim_value"));
            else if (field == OnnxFields.Dimension.DimParam && wire == WireType.LengthDelimited) dim = new Dim(null, reader.ReadString("dim_param"));
            else reader.Skip(wire, "Dimension field");
        }
        return dim;
    }

    private static long Product(long[] dims, ref ProtoReader reader)
    {
        long product = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw reader.Fail("dims", $"dimension {d} is negative");
            if (d != 0 && product > long.MaxValue / d) throw reader.Fail("dims", "element count overflows");
            product *= d;
        }
        return product;
    }

    private static void Expect(ref ProtoReader reader, WireType actual, WireType expected, string field)
    {
        if (actual != expected) throw reader.Fail(field, $"wire type {(int)actual} where {(int)expected} belongs");
    }
}

/// <summary>TensorProto.DataType values and names (schemas/onnx/onnx.proto).</summary>
internal static class OnnxDataTypes
{
    public const int Float = 1, Uint8 = 2, Int8 = 3, Int32 = 6, Int64 = 7;

    private static readonly string[] Names =
    [
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE",
        "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2",
        "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1",
    ];

    public static string Name(int type) => (uint)type < (uint)Names.Length ? Names[type] : $"TYPE_{type}";
}
