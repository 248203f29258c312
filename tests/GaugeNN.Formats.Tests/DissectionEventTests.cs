using System.Text.Json;
using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// ModelDissected v2 against the v1 it replaces: the upcast keeps every fact, and a v2 event's JSON still reads as a
/// v1 one (same property names and values), so readers of the v1 columns take v2 events unchanged.
/// </summary>
public class DissectionEventTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void an_upcast_v1_dissection_keeps_every_fact_and_has_no_names_or_reasons()
    {
        var v1 = new ModelDissectedV1("ab", 1, "onnx", 12, 34, 2, true, 5, [new NameCount("Conv", 2)], [new NameCount("FLOAT", 12)],
            [new TensorSpecV1("x", [null, 3, 8, 8], "FLOAT")], [new TensorSpecV1("y", [null, 4], "FLOAT")],
            new Dictionary<string, string> { ["ir_version"] = "7" }, "fp", "image-classification", "rule",
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var v2 = ModelDissected.From(v1);

        Assert.Equal((v1.Sha256, v1.AnalyserVersion, v1.Format, v1.Params, v1.Macs, v1.MacsUnknownNodes, v1.Quantized, v1.Layers),
            (v2.Sha256, v2.AnalyserVersion, v2.Format, v2.Params, v2.Macs, v2.MacsUnknownNodes, v2.Quantized, v2.Layers));
        Assert.Equal((v1.Ops, v1.WeightDtypes, v1.Metadata, v1.ArchFingerprint, v1.Task, v1.TaskRule, v1.At),
            (v2.Ops, v2.WeightDtypes, v2.Metadata, v2.ArchFingerprint, v2.Task, v2.TaskRule, v2.At));
        Assert.Equal(["x[,3,8,8]FLOAT", "y[,4]FLOAT"], v2.Inputs.Concat(v2.Outputs).Select(t => $"{t.Name}[{string.Join(',', t.Shape)}]{t.Dtype}"));
        Assert.All(v2.Inputs.Concat(v2.Outputs), t => Assert.Equal(t.Shape.Count, t.DimNames.Count(n => n is null)));
        Assert.Empty(v2.MacsUnknown);
    }

    [Fact]
    public void a_v2_dissection_reads_back_as_v1_with_the_same_facts()
    {
        var v2 = Assert.IsType<ModelDissected>(ModelDissector.Dissect(Fixtures.Read("idioms/symbolic_sequence.onnx"), "onnx", TimeProvider.System));

        var asV1 = JsonSerializer.Deserialize<ModelDissectedV1>(JsonSerializer.Serialize(v2, Json), Json)!;

        var upcast = ModelDissected.From(asV1) with { MacsUnknown = v2.MacsUnknown, Inputs = v2.Inputs, Outputs = v2.Outputs };
        Assert.Equal(JsonSerializer.Serialize(v2, Json), JsonSerializer.Serialize(upcast, Json));
        Assert.Equal(v2.Inputs.Select(i => i.Shape), asV1.Inputs.Select(i => i.Shape));
        Assert.Equal(["batch", "sequence"], v2.Inputs.Single().DimNames);
    }
}
