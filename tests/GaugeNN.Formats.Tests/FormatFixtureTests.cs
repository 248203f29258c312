using System.Text.Json;
using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// The small files tools/format-fixtures.py encodes with flatc from the formats' own schemas, each dissected and
/// compared with the description it was built from (truth.json); and the formats that are not dissected say why.
/// </summary>
public class FormatFixtureTests
{
    public static TheoryData<string> Files() => Fixtures.Theory(Fixtures.FormatFiles());

    [Theory]
    [MemberData(nameof(Files))]
    public void every_declared_fact_is_reported(string file)
    {
        var truth = Fixtures.Declared(file);
        string format = truth.GetProperty("format").GetString()!;
        var bytes = Fixtures.Read("formats/" + file);

        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(bytes, format, TimeProvider.System));

        Assert.Equal(format, FormatProbe.Identify(bytes, "assets/" + file)?.Format);
        Assert.Equal(truth.GetProperty("sha256").GetString(), dissected.Sha256);
        Assert.Equal(Counts(truth, "op_histogram"), Counts(dissected.Ops));
        Assert.Equal(truth.GetProperty("layers").GetInt32(), dissected.Layers);
        Assert.Equal(truth.GetProperty("params").GetInt64(), dissected.Params);
        Assert.Equal(Counts(truth, "weight_dtype_histogram"), Counts(dissected.WeightDtypes));
        Assert.Equal(truth.GetProperty("quantized").GetBoolean(), dissected.Quantized);
        Assert.Equal(truth.GetProperty("macs").GetInt64(), dissected.Macs);
        Assert.Equal(truth.GetProperty("macs_unknown_nodes").GetInt64(), dissected.MacsUnknownNodes);
        Assert.Equal(Specs(truth, "inputs"), dissected.Inputs.Select(Spec));
        Assert.Equal(Specs(truth, "outputs"), dissected.Outputs.Select(Spec));
        if (truth.TryGetProperty("metadata", out var metadata))
            foreach (var entry in metadata.EnumerateObject())
                Assert.Equal(entry.Value.GetString(), dissected.Metadata.GetValueOrDefault(entry.Name));
    }

    [Fact]
    public void a_graphdef_convolution_after_an_op_without_a_shape_rule_is_unknown_and_says_why()
    {
        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(Fixtures.Read("formats/tf_convnet.pb"), "tf", TimeProvider.System));

        var unknown = Assert.Single(dissected.MacsUnknown);
        Assert.Equal(("conv3", "Conv2D", "no shape rule for MysteryOp here"), (unknown.Node, unknown.Op, unknown.Reason));
    }

    [Fact]
    public void a_paddle_lite_model_of_meta_version_0_is_not_dissected_and_says_why()
    {
        var bytes = Fixtures.Read("formats/paddle_v2.nb");
        bytes[0] = 0;

        var failed = Assert.IsType<ModelDissectionFailed>(ModelDissector.Dissect(bytes, "paddle", TimeProvider.System));

        Assert.StartsWith("not dissected: paddle (meta_version 0", failed.Reason);
    }

    [Fact]
    public void an_snpe_dlc_is_not_dissected_and_says_why()
    {
        var dlc = ZipBytes.Build(("model", new byte[64], true), ("dlc.metadata", "converter-command=snpe-onnx-to-dlc\n"u8.ToArray(), true));

        var failed = Assert.IsType<ModelDissectionFailed>(ModelDissector.Dissect(dlc, "snpe", TimeProvider.System));

        Assert.Equal("snpe", FormatProbe.Identify(dlc, "assets/net.dlc")?.Format);
        Assert.StartsWith("not dissected: snpe (", failed.Reason);
        Assert.False(failed.LooksEncrypted);
    }

    private static List<string> Counts(JsonElement e, string property) =>
        e.GetProperty(property).EnumerateObject().Select(p => $"{p.Name}={p.Value}").Order(StringComparer.Ordinal).ToList();

    private static List<string> Counts(IEnumerable<NameCount> counts) =>
        counts.Select(c => $"{c.Name}={c.Count}").Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Specs(JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(t =>
            $"{t.GetProperty("name").GetString()}[{string.Join(',', t.GetProperty("shape").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Null ? "?" : d.ToString()))}]{t.GetProperty("dtype").GetString()}");

    private static string Spec(TensorSpec t) => $"{t.Name}[{string.Join(',', t.Shape.Select(d => d?.ToString() ?? "?"))}]{t.Dtype}";
}
