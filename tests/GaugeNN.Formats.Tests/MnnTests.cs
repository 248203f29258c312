using System.Text.Json;
using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// The real MNN benchmark models against tools/mnn-truth.py (flatc's decoding with MNN's own schema and its own count),
/// and MNN's SqueezeNet against the ncnn conversion of the same network (another reader, another file).
/// </summary>
public class MnnTests
{
    private static readonly Lazy<JsonElement> Truth = Fixtures.Models(Path.Combine(Fixtures.Root, "tests", "fixtures", "mnn-truth.json"));

    public static TheoryData<string> Models() => Fixtures.Theory(Truth.Value.EnumerateObject().Select(p => p.Name));

    private static ModelDissected Dissect(string key, string format) =>
        Assert.IsType<ModelDissected>(ModelDissector.Dissect(Fixtures.Read(key), format, TimeProvider.System));

    [Theory]
    [MemberData(nameof(Models))]
    public void ops_declared_params_and_macs_equal_the_schema_decoded_truth(string file)
    {
        var truth = Truth.Value.GetProperty(file);

        var dissected = Dissect("mnn/" + file, "mnn");

        Assert.Equal(truth.GetProperty("op_histogram").EnumerateObject().Select(p => $"{p.Name}={p.Value}").Order(StringComparer.Ordinal),
            dissected.Ops.Select(o => $"{o.Name}={o.Count}").Order(StringComparer.Ordinal));
        Assert.Equal(truth.GetProperty("layers").GetInt32(), dissected.Layers);
        Assert.Equal(truth.GetProperty("params").GetInt64(), dissected.Params);
        Assert.Equal(truth.GetProperty("weight_dtype_histogram").EnumerateObject().Select(p => $"{p.Name}={p.Value}"),
            dissected.WeightDtypes.Select(d => $"{d.Name}={d.Count}"));
        Assert.Equal(truth.GetProperty("macs").GetInt64(), dissected.Macs);
        Assert.Equal(truth.GetProperty("macs_unknown_nodes").GetInt64(), dissected.MacsUnknownNodes);
        Assert.Equal(truth.GetProperty("inputs").EnumerateArray().Select(i =>
                $"{i.GetProperty("name").GetString()}[{string.Join(',', i.GetProperty("shape").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Null ? "null" : d.ToString()))}]"),
            dissected.Inputs.Select(i => $"{i.Name}[{string.Join(',', i.Shape.Select(d => d?.ToString() ?? "null"))}]"));
    }

    [Fact]
    public void mnn_and_ncnn_squeezenet_agree_on_params_and_macs()
    {
        var mnn = Dissect("mnn/squeezenetv1.1.mnn", "mnn");
        var ncnn = Dissect("ncnn/squeezenet_v1.1.param", "ncnn");

        Assert.Equal(ncnn.Params, mnn.Params);
        Assert.Equal(ncnn.Macs, mnn.Macs);
        Assert.Equal(0, mnn.MacsUnknownNodes);
    }

    [Fact]
    public void a_convolution_after_an_op_without_a_shape_rule_is_unknown_with_the_reason()
    {
        // Turn SqueezeNet's first max-pool (OpType Pooling = 47) into ROIPooling (76): the rest of the net loses its shapes.
        var bytes = Fixtures.Read("mnn/squeezenetv1.1.mnn");
        var intact = Dissect("mnn/squeezenetv1.1.mnn", "mnn");
        int at = IndexOfOpType(bytes, 47);
        bytes[at] = 76;

        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(bytes, "mnn", TimeProvider.System));

        Assert.Equal(intact.Params, dissected.Params);
        Assert.True(dissected.MacsUnknownNodes > 0);
        Assert.Equal(dissected.MacsUnknownNodes, dissected.MacsUnknown.Count);
        Assert.Contains("no shape rule for ROIPooling", dissected.MacsUnknown[0].Reason);
        Assert.True(dissected.Macs < intact.Macs);
    }

    /// <summary>Where the Op.type field of the first op of that type lies in the file.</summary>
    private static int IndexOfOpType(byte[] bytes, int type)
    {
        var buffer = new GaugeNN.Formats.FlatBuffers.FlatBuffer(bytes, "mnn");
        var ops = buffer.Root("Net").Vector(3, 4, "ops");
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops.Table(i);
            var field = op.Scalar(5, 4, "Op.type");
            if (!field.IsEmpty && field[0] == type) return IndexIn(bytes, op, 5);
        }
        throw new InvalidOperationException("no op of that type");
    }

    private static int IndexIn(byte[] bytes, GaugeNN.Formats.FlatBuffers.FlatTable op, int slot)
    {
        int vtable = op.Position - BitConverter.ToInt32(bytes, op.Position);
        return op.Position + BitConverter.ToUInt16(bytes, vtable + 4 + 2 * slot);
    }
}
