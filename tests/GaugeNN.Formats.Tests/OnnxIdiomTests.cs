using System.Text.Json;
using GaugeNN.Events;
using GaugeNN.Formats.Onnx;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// The models tools/onnx-idioms.py builds as PyTorch and tf2onnx write them (INT64_MAX slices, reversals, If / Loop /
/// Scan, symbolic dims, external data, several opsets; two exported by PyTorch itself), each compared with the truth
/// the script took from the protobuf and onnx.shape_inference: every DEFINITIONS.md field, the shape of every tensor a
/// node produces, which nodes' MACs stay unknown, and the I/O dims by name.
/// </summary>
public class OnnxIdiomTests
{
    public static TheoryData<string> Models() => Fixtures.Theory(Fixtures.IdiomFiles());

    private static ModelDissected Dissect(string file) =>
        Assert.IsType<ModelDissected>(ModelDissector.Dissect(Fixtures.Read("idioms/" + file), "onnx", TimeProvider.System));

    [Theory]
    [MemberData(nameof(Models))]
    public void every_definitions_field_equals_what_onnx_reports(string file)
    {
        var truth = Fixtures.Idiom(file);

        var dissected = Dissect(file);

        Assert.Equal(truth.GetProperty("sha256").GetString(), dissected.Sha256);
        Assert.Equal("onnx", FormatProbe.Identify(Fixtures.Read("idioms/" + file), "assets/" + file)?.Format);
        GroundTruthTests.CompareOnnx(truth, dissected);
        Assert.Equal(truth.GetProperty("flops").GetInt64(), 2 * dissected.Macs);
        Assert.Equal(truth.GetProperty("external_data_initializers").ToString(), dissected.Metadata["external_data_initializers"]);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void every_inferred_tensor_shape_equals_onnx_shape_inference(string file)
    {
        var expected = Fixtures.Idiom(file).GetProperty("tensor_shapes").EnumerateObject()
            .ToDictionary(p => p.Name, p => Text(p.Value));

        var inferred = OnnxDissector.TensorShapes(Fixtures.Read("idioms/" + file))
            .ToDictionary(p => p.Key, p => p.Value is null ? "none" : $"[{string.Join(',', p.Value.Select(d => d.Value?.ToString() ?? d.Param ?? "?"))}]");

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), inferred.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void only_the_nodes_onnx_cannot_shape_are_unknown_and_each_says_why(string file)
    {
        var expected = Fixtures.Idiom(file).GetProperty("unknown_mac_nodes").EnumerateArray().Select(n => n.GetString()!);

        var dissected = Dissect(file);

        Assert.Equal(expected.Order(StringComparer.Ordinal), dissected.MacsUnknown.Select(n => n.Node).Order(StringComparer.Ordinal));
        Assert.Equal(dissected.MacsUnknownNodes, dissected.MacsUnknown.Count);
        Assert.All(dissected.MacsUnknown, n => Assert.False(string.IsNullOrWhiteSpace(n.Reason)));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void inputs_and_outputs_keep_symbolic_dims_by_name(string file)
    {
        var truth = Fixtures.Idiom(file);

        var dissected = Dissect(file);

        Assert.Equal(Declared(truth, "inputs"), dissected.Inputs.Select(Named));
        Assert.Equal(Declared(truth, "outputs"), dissected.Outputs.Select(Named));
    }

    [Fact]
    public void a_pytorch_model_with_int64_max_slices_and_if_branches_dissects_whole()
    {
        var dissected = Dissect("pytorch_slices_if.onnx");

        Assert.Equal(["Concat=1", "Constant=13", "Conv=2", "Flatten=1", "Gather=1", "Gemm=3", "GlobalAveragePool=1", "Greater=1",
            "If=1", "Mul=1", "ReduceSum=1", "Relu=1", "Reshape=1", "Shape=1", "Slice=2", "Unsqueeze=1"],
            dissected.Ops.Select(o => $"{o.Name}={o.Count}").Order(StringComparer.Ordinal));
        // Initializers (two convolutions, the classifier used by both branches) plus 13 one-element Constant tensors.
        Assert.Equal(8 * 3 * 3 * 3 + 8 + 8 * 8 * 3 * 3 + 4 * 8 + 4 + 13, dissected.Params);
        var unknown = Assert.Single(dissected.MacsUnknown);
        Assert.Equal(("gemm_after_view", "Gemm"), (unknown.Node, unknown.Op));
        Assert.Contains("run-time values of 'view_shape'", unknown.Reason);
        Assert.Equal(["batch", null, null, null], dissected.Inputs.Single().DimNames);
        Assert.Equal(":13", dissected.Metadata["opset_import"]);
    }

    private static string Text(JsonElement shape) => shape.ValueKind == JsonValueKind.Null ? "none"
        : $"[{string.Join(',', shape.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Null ? "?" : d.ValueKind == JsonValueKind.String ? d.GetString() : d.ToString()))}]";

    private static IEnumerable<string> Declared(JsonElement truth, string property) =>
        truth.GetProperty(property).EnumerateArray().Select(t => $"{t.GetProperty("name").GetString()}{Text(t.GetProperty("shape"))}{t.GetProperty("elem_type").GetString()}");

    private static string Named(TensorSpec t) =>
        $"{t.Name}[{string.Join(',', t.Shape.Select((d, i) => d?.ToString() ?? t.DimNames[i] ?? "?"))}]{t.Dtype}";
}
