// Spec: Paddle-Lite naive-buffer model (.nb), PaddlePaddle/Paddle-Lite lite/model_parser/model_parser.cc
// (SaveModelNaive / LoadModelNaiveFromFile: uint16 meta_version, char[16] opt_version, uint64 topo_size, topology,
// params), lite/model_parser/flatbuffers/framework.fbs (ProgramDesc), param.fbs (ParamDesc, CombinedParamsDesc) and
// flatbuffers/io.cc (ParamSerializer::ForwardWrite: the meta_version 2 params layout).
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.FlatBuffers;

namespace GaugeNN.Formats.Paddle;

/// <summary>
/// Dissects a Paddle-Lite .nb written by opt 2.7 or later (meta_version 1 or 2: a FlatBuffer ProgramDesc, then the
/// params): op histogram over every block, params and weight dtypes from the stored params (dims × their data type),
/// feed / fetch variables as inputs / outputs, and MACs of conv2d, depthwise_conv2d, conv2d_transpose, fc, mul, matmul
/// and matmul_v2 from the dims the program declares for their variables (-1 for the batch counts as 1). The older
/// meta_version 0 (a different "naive buffer" layout) is refused with a reason.
/// </summary>
internal static class PaddleLiteDissector
{
    private const string Format = "paddle";
    private const int MetaVersionBytes = 2, OptVersionBytes = 16, TopologySizeBytes = 8;
    private const int HeaderBytes = MetaVersionBytes + OptVersionBytes + TopologySizeBytes;

    private static class Program
    {
        public const int Blocks = 0, Version = 1;
    }

    private static class Block
    {
        public const int Vars = 2, Ops = 3;
    }

    private static class VarDesc
    {
        public const int Name = 0, Type = 1;
    }

    private static class VarType
    {
        public const int LodTensor = 2;
    }

    private static class TensorDesc
    {
        public const int DataType = 0, Dims = 1;
    }

    private static class OpDesc
    {
        public const int Type = 0, Inputs = 1, Outputs = 2, Attrs = 3;
    }

    private static class OpVar
    {
        public const int Parameter = 0, Arguments = 1;
    }

    private static class Attr
    {
        public const int Name = 0, B = 8;
    }

    private static class ParamDesc
    {
        public const int Name = 1, VariableType = 2, Variable = 3;
    }

    private static class ParamTensor
    {
        public const int Dim = 2, DataType = 3;
    }

    /// <summary>VarType_.Type names (framework.fbs).</summary>
    private static readonly string[] TypeNames =
    [
        "BOOL", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "LOD_TENSOR", "SELECTED_ROWS", "FEED_MINIBATCH",
        "FETCH_LIST", "STEP_SCOPES", "LOD_RANK_TABLE", "LOD_TENSOR_ARRAY", "PLACE_LIST", "READER", "TYPE_16", "RAW",
        "TUPLE", "SIZE_T", "UINT8", "INT8",
    ];

    private static string TypeName(int type) => (uint)type < (uint)TypeNames.Length ? TypeNames[type] : $"TYPE_{type}";

    private sealed record Op(string Type, Dictionary<string, List<string>> Inputs, Dictionary<string, List<string>> Outputs,
        FlatTable Table);

    public static ModelFacts Dissect(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.Length < HeaderBytes) throw new MalformedModelException(Format, 0, "header", $"a .nb header needs {HeaderBytes} bytes");
        int metaVersion = BinaryPrimitives.ReadUInt16LittleEndian(span);
        string optVersion = OptVersion(span.Slice(MetaVersionBytes, OptVersionBytes));
        if (metaVersion == 0)
            throw new NotSupportedException($"not dissected: paddle (meta_version 0, the naive-buffer program of Paddle-Lite {optVersion}; only opt 2.7+ FlatBuffer models are read)");
        if (metaVersion is not (1 or 2))
            throw new MalformedModelException(Format, 0, "meta_version", $"meta_version {metaVersion} is not 0, 1 or 2");
        ulong topologySize = BinaryPrimitives.ReadUInt64LittleEndian(span[(MetaVersionBytes + OptVersionBytes)..]);
        if (topologySize > (ulong)(span.Length - HeaderBytes))
            throw new MalformedModelException(Format, MetaVersionBytes + OptVersionBytes, "topo_size", $"topology of {topologySize} bytes runs past the end");
        var topology = bytes.Slice(HeaderBytes, (int)topologySize);
        var paramsStart = HeaderBytes + (int)topologySize;

        var facts = new ModelFacts(Format);
        facts.Metadata["meta_version"] = metaVersion.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["opt_version"] = optVersion;
        var vars = ReadProgram(new FlatBuffer(topology, Format), facts, out var ops);
        ReadParams(bytes[paramsStart..], paramsStart, metaVersion, facts);
        foreach (var op in ops) CountMacs(op, vars, facts);
        return facts;
    }

    private static string OptVersion(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        var text = end < 0 ? field : field[..end];
        foreach (byte b in text)
            if (b is < 0x20 or > 0x7e) throw new MalformedModelException(Format, MetaVersionBytes, "opt_version", "opt_version is not printable ASCII");
        return Encoding.ASCII.GetString(text);
    }

    /// <summary>Every block's ops (histogram, structure) and vars (dims and type, by name; block 0 wins a clash).</summary>
    private static Dictionary<string, (long[] Dims, int Type)> ReadProgram(FlatBuffer buffer, ModelFacts facts, out List<Op> ops)
    {
        var program = buffer.Root("ProgramDesc");
        var blocks = program.Vector(Program.Blocks, 4, "ProgramDesc.blocks");
        if (blocks.Count == 0) throw buffer.Fail(program.Position, "ProgramDesc.blocks", "the program has no blocks");
        if (program.Table(Program.Version, "ProgramDesc.version") is { } version)
            facts.Metadata["program_version"] = version.Int64(0, "Version.version").ToString(CultureInfo.InvariantCulture);
        var vars = new Dictionary<string, (long[], int)>(StringComparer.Ordinal);
        ops = [];
        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks.Table(b);
            var varList = block.Vector(Block.Vars, 4, "BlockDesc.vars");
            for (int v = 0; v < varList.Count; v++)
            {
                var desc = varList.Table(v);
                string name = desc.String(VarDesc.Name, "VarDesc.name") ?? throw buffer.Fail(desc.Position, "VarDesc.name", "a var has no name");
                if (desc.Table(VarDesc.Type, "VarDesc.type")?.Table(VarType.LodTensor, "VarType.lod_tensor")
                        ?.Table(0, "LoDTensorDesc.tensor") is { } tensor)
                    vars.TryAdd(name, (Longs(tensor.Vector(TensorDesc.Dims, 8, "TensorDesc.dims"), buffer, tensor.Position),
                        tensor.Int32(TensorDesc.DataType, "TensorDesc.data_type")));
            }
            var opList = block.Vector(Block.Ops, 4, "BlockDesc.ops");
            for (int o = 0; o < opList.Count; o++)
            {
                var table = opList.Table(o);
                string type = table.String(OpDesc.Type, "OpDesc.type") ?? throw buffer.Fail(table.Position, "OpDesc.type", "an op has no type");
                var op = new Op(type, Arguments(table.Vector(OpDesc.Inputs, 4, "OpDesc.inputs"), buffer),
                    Arguments(table.Vector(OpDesc.Outputs, 4, "OpDesc.outputs"), buffer), table);
                ops.Add(op);
                facts.Layers++;
                facts.Ops.Add(type);
                if (type.Contains("quantize", StringComparison.Ordinal)) facts.Quantized = true;
                facts.Structure.Add(b);
                facts.Structure.Add(type);
                foreach (var (slot, names) in op.Inputs.Concat(op.Outputs))
                {
                    facts.Structure.Add(slot);
                    foreach (string name in names) facts.Structure.AddName(name);
                }
                if (b != 0) continue;
                if (type == "feed") foreach (string name in op.Outputs.GetValueOrDefault("Out") ?? []) facts.Inputs.Add(Spec(name, vars));
                if (type == "fetch") foreach (string name in op.Inputs.GetValueOrDefault("X") ?? []) facts.Outputs.Add(Spec(name, vars));
            }
        }
        facts.Metadata["blocks"] = blocks.Count.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["vars"] = vars.Count.ToString(CultureInfo.InvariantCulture);
        return vars;
    }

    private static TensorSpec Spec(string name, Dictionary<string, (long[] Dims, int Type)> vars) =>
        vars.TryGetValue(name, out var v)
            ? TensorSpec.Of(name, v.Dims.Select(d => d < 0 ? null : (long?)d).ToList(), TypeName(v.Type))
            : TensorSpec.Of(name, [], "UNKNOWN");

    private static Dictionary<string, List<string>> Arguments(FlatVector list, FlatBuffer buffer)
    {
        var arguments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            var entry = list.Table(i);
            string parameter = entry.String(OpVar.Parameter, "Var.parameter") ?? throw buffer.Fail(entry.Position, "Var.parameter", "an argument has no parameter name");
            var names = entry.Vector(OpVar.Arguments, 4, "Var.arguments");
            var values = new List<string>(names.Count);
            for (int n = 0; n < names.Count; n++) values.Add(names.String(n));
            arguments[parameter] = values;
        }
        return arguments;
    }

    private static long[] Longs(FlatVector vector, FlatBuffer buffer, int at)
    {
        if (vector.Count > 64) throw buffer.Fail(at, "TensorDesc.dims", "rank is too large");
        var values = new long[vector.Count];
        for (int i = 0; i < values.Length; i++) values[i] = vector.Int64(i);
        return values;
    }

    /// <summary>The stored params: meta_version 1 is one CombinedParamsDesc FlatBuffer, 2 a counted list of ParamDescs.</summary>
    private static void ReadParams(ReadOnlyMemory<byte> bytes, int origin, int metaVersion, ModelFacts facts)
    {
        int count = 0;
        if (metaVersion == 1)
        {
            var combined = new FlatBuffer(bytes, Format);
            var list = combined.Root("CombinedParamsDesc").Vector(0, 4, "CombinedParamsDesc.params");
            for (int i = 0; i < list.Count; i++, count++) AddParam(combined, list.Table(i), facts);
        }
        else
        {
            var span = bytes.Span;
            int at = 0;
            uint headerSize = ReadUnsigned(span, ref at, 2, origin, "params header_size");
            if (headerSize < 6) throw new MalformedModelException(Format, origin, "params header_size", $"header of {headerSize} bytes is too short");
            int headerStart = at;
            uint declared = ReadUnsigned(span, ref at, 2, origin, "params_size");
            at = headerStart;
            Skip(span, ref at, headerSize, origin, "params header");
            for (int i = 0; i < declared; i++, count++)
            {
                uint total = ReadUnsigned(span, ref at, 4, origin, "param total_size");
                uint offset = ReadUnsigned(span, ref at, 4, origin, "param offset");
                if (offset < 4 || offset > total) throw new MalformedModelException(Format, origin + at, "param offset", $"offset {offset} does not fit total {total}");
                Skip(span, ref at, offset - 4, origin, "param padding");
                uint size = total - offset;
                if (size > (uint)(span.Length - at)) throw new MalformedModelException(Format, origin + at, "param", $"param of {size} bytes runs past the end");
                var param = new FlatBuffer(bytes.Slice(at, (int)size), Format);
                AddParam(param, param.Root("ParamDesc"), facts);
                at += (int)size;
            }
        }
        facts.Metadata["params_stored"] = count.ToString(CultureInfo.InvariantCulture);
    }

    private static void AddParam(FlatBuffer buffer, FlatTable param, ModelFacts facts)
    {
        const int LodTensorDesc = 1;
        if (param.Byte(ParamDesc.VariableType, "ParamDesc.variable_type") != LodTensorDesc
            || param.Table(ParamDesc.Variable, "ParamDesc.variable") is not { } tensor)
            throw buffer.Fail(param.Position, "ParamDesc.variable", "a param holds no LoDTensorDesc");
        var dims = Longs(tensor.Vector(ParamTensor.Dim, 8, "LoDTensorDesc.dim"), buffer, tensor.Position);
        long elements = 1;
        foreach (long d in dims)
        {
            if (d < 0 || (d != 0 && elements > int.MaxValue * 16L / d)) throw buffer.Fail(tensor.Position, "LoDTensorDesc.dim", "a param is impossibly large");
            elements *= d;
        }
        int type = tensor.Int32(ParamTensor.DataType, "LoDTensorDesc.data_type");
        facts.Params += elements;
        facts.WeightDtypes.Add(TypeName(type), elements);
        if (TypeName(type) is "INT8" or "UINT8") facts.Quantized = true;
        facts.Structure.Add(type);
        foreach (long d in dims) facts.Structure.Add(d);
    }

    /// <summary>MACs from the declared var dims; a -1 batch counts as 1, any other unknown dim makes the op unknown.</summary>
    private static void CountMacs(Op op, Dictionary<string, (long[] Dims, int Type)> vars, ModelFacts facts)
    {
        if (op.Type is not ("conv2d" or "depthwise_conv2d" or "conv2d_transpose" or "fc" or "mul" or "matmul" or "matmul_v2")) return;
        long[]? Var(Dictionary<string, List<string>> slots, string slot) =>
            slots.GetValueOrDefault(slot) is [var name, ..] && vars.TryGetValue(name, out var v) ? v.Dims : null;
        string label = op.Outputs.Values.SelectMany(v => v).FirstOrDefault() ?? "";
        long? macs;
        string why;
        switch (op.Type)
        {
            case "conv2d" or "depthwise_conv2d":
            {
                var output = Var(op.Outputs, "Output");
                var filter = Var(op.Inputs, "Filter");
                why = "the Output or Filter dims are not declared as 4-D";
                macs = output is { Length: 4 } && filter is { Length: 4 }
                    ? Product(Batch(output[0]), output[1], output[2], output[3], filter[1], filter[2], filter[3]) : null;
                break;
            }
            case "conv2d_transpose":
            {
                var input = Var(op.Inputs, "Input");
                var filter = Var(op.Inputs, "Filter");
                why = "the Input or Filter dims are not declared as 4-D";
                macs = input is { Length: 4 } && filter is { Length: 4 }
                    ? Product(Batch(input[0]), input[1], input[2], input[3], filter[1], filter[2], filter[3]) : null;
                break;
            }
            default:
            {
                var output = Var(op.Outputs, "Out") ?? Var(op.Outputs, "Output");
                var weights = Var(op.Inputs, op.Type == "fc" ? "W" : "Y");
                bool transposeY = Flag(op.Table, op.Type == "matmul_v2" ? "trans_y" : "transpose_Y");
                why = "the output or weight dims are not declared";
                macs = output is { Length: >= 1 } && weights is { Length: >= 2 }
                    ? Product([Batch(output[0]), .. output[1..], transposeY ? weights[^1] : weights[^2]]) : null;
                break;
            }
        }
        if (macs is { } value) facts.AddMacs(value);
        else facts.UnknownMacs(label, op.Type, why);
    }

    private static long Batch(long d) => d < 0 ? 1 : d;

    private static long? Product(params long[] dims)
    {
        long product = 1;
        foreach (long d in dims)
        {
            if (d < 0) return null;
            if (d != 0 && product > long.MaxValue / d) return null;
            product *= d;
        }
        return product;
    }

    private static bool Flag(FlatTable op, string name)
    {
        var attrs = op.Vector(OpDesc.Attrs, 4, "OpDesc.attrs");
        for (int i = 0; i < attrs.Count; i++)
        {
            var attr = attrs.Table(i);
            if (attr.String(Attr.Name, "Attr.name") == name) return attr.Bool(Attr.B, "Attr.b");
        }
        return false;
    }

    /// <summary>A little-endian unsigned field of <paramref name="width"/> bytes (2 or 4) at <paramref name="at"/>.</summary>
    private static uint ReadUnsigned(ReadOnlySpan<byte> span, ref int at, int width, int origin, string field)
    {
        if (span.Length - at < width) throw new MalformedModelException(Format, origin + at, field, "runs past the end");
        uint value = width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(span[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
        at += width;
        return value;
    }

    private static void Skip(ReadOnlySpan<byte> span, ref int at, long count, int origin, string field)
    {
        if (count > span.Length - at) throw new MalformedModelException(Format, origin + at, field, "runs past the end");
        at += (int)count;
    }
}
