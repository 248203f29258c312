using System.Text.Json;
using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// Every model in expected-models.json is dissected and each field the dissection exposes is compared with the
/// independent ground truth (made with flatc and python-onnx); nothing here restates an expected number.
/// </summary>
public class GroundTruthTests
{
    public static TheoryData<string> AllModels() => Fixtures.Theory(Fixtures.ExpectedKeys());

    [Theory]
    [MemberData(nameof(AllModels))]
    public void every_exposed_field_equals_the_ground_truth(string key)
    {
        var expected = Fixtures.Expected(key);
        string framework = expected.GetProperty("framework").GetString()!;
        var bytes = Fixtures.Read(key);

        var result = ModelDissector.Dissect(bytes, framework, TimeProvider.System);

        var dissected = Assert.IsType<ModelDissected>(result);
        Assert.Equal(expected.GetProperty("sha256").GetString(), dissected.Sha256);
        Assert.Equal(framework, dissected.Format);
        switch (framework)
        {
            case "tflite": CompareTflite(expected, dissected); break;
            case "onnx": CompareOnnx(expected, dissected); break;
            case "ncnn": CompareNcnn(expected, dissected); break;
            case "caffe": CompareCaffe(expected, dissected); break;
            case "mnn": Assert.Equal(expected.GetProperty("bytes").GetInt64(), long.Parse(dissected.Metadata["bytes"])); break;
            default: Assert.Fail($"no comparison for {framework}"); break;
        }
    }

    private static void CompareTflite(JsonElement e, ModelDissected d)
    {
        Assert.Equal(e.GetProperty("params").GetInt64(), d.Params);
        Assert.Equal(Histogram(e, "weight_dtype_histogram"), Histogram(d.WeightDtypes));
        Assert.Equal(e.GetProperty("quantized").GetBoolean(), d.Quantized);
        Assert.Equal(e.GetProperty("macs").GetInt64(), d.Macs);
        Assert.Equal(e.GetProperty("flops").GetInt64(), 2 * d.Macs);
        Assert.Equal(e.GetProperty("macs_unknown_nodes").GetInt64(), d.MacsUnknownNodes);
        Assert.Equal(Histogram(e, "op_histogram"), Histogram(d.Ops));
        Assert.Equal(Tensors(e, "inputs", "dtype"), Tensors(d.Inputs));
        Assert.Equal(Tensors(e, "outputs", "dtype"), Tensors(d.Outputs));
        var subgraphs = e.GetProperty("subgraphs").EnumerateArray().ToList();
        Assert.Equal(subgraphs.Sum(s => s.GetProperty("operators").GetInt32()), d.Layers);
        Assert.Equal(string.Join(',', subgraphs.Select(s => $"{s.GetProperty("operators")}/{s.GetProperty("tensors")}")),
            d.Metadata["subgraphs"]);
        Assert.Equal(e.GetProperty("version").ToString(), d.Metadata["version"]);
        Assert.Equal(e.GetProperty("description").GetString(), d.Metadata["description"]);
        Assert.Equal(e.GetProperty("operator_codes_count").ToString(), d.Metadata["operator_codes_count"]);
        Assert.Equal(e.GetProperty("quantized_tensor_count").ToString(), d.Metadata["quantized_tensor_count"]);
        Assert.Equal(e.GetProperty("sparse_constant_tensors").ToString(), d.Metadata["sparse_constant_tensors"]);
        if (e.TryGetProperty("sparse_stored_values", out var stored))
            Assert.Equal(stored.ToString(), d.Metadata["sparse_stored_values"]);
        Assert.Equal(e.GetProperty("signature_defs").ToString(), d.Metadata["signature_defs"]);
        Assert.Equal(string.Join(',', e.GetProperty("custom_ops").EnumerateObject().Select(p => $"{p.Name}={p.Value}")),
            d.Metadata["custom_ops"]);
        Assert.Equal(string.Join(',', e.GetProperty("metadata_names").EnumerateArray().Select(n => n.GetString())),
            d.Metadata["metadata_names"]);
        Assert.Equal(e.GetProperty("has_min_runtime_version").GetBoolean(), d.Metadata.ContainsKey("min_runtime_version"));
        Assert.Equal(e.GetProperty("min_runtime_version").GetString(), d.Metadata.GetValueOrDefault("min_runtime_version"));
    }

    /// <summary>The ONNX fields of DEFINITIONS.md; also used for the models tools/onnx-idioms.py builds.</summary>
    internal static void CompareOnnx(JsonElement e, ModelDissected d)
    {
        Assert.Equal(e.GetProperty("params").GetInt64(), d.Params);
        Assert.Equal(e.GetProperty("params_main_graph").ToString(), d.Metadata["params_main_graph"]);
        Assert.Equal(Histogram(e, "weight_dtype_histogram"), Histogram(d.WeightDtypes));
        Assert.Equal(e.GetProperty("quantized").GetBoolean(), d.Quantized);
        Assert.Equal(e.GetProperty("macs").GetInt64(), d.Macs);
        Assert.Equal(e.GetProperty("macs_unknown_nodes").GetInt64(), d.MacsUnknownNodes);
        Assert.Equal(e.GetProperty("macs_main_graph").ToString(), d.Metadata["macs_main_graph"]);
        Assert.Equal(e.GetProperty("macs_unknown_nodes_main_graph").ToString(), d.Metadata["macs_unknown_nodes_main_graph"]);
        Assert.Equal(Histogram(e, "op_histogram_all_graphs"), Histogram(d.Ops));
        Assert.Equal(e.GetProperty("node_count_all_graphs").GetInt32(), d.Layers);
        Assert.Equal(e.GetProperty("node_count").ToString(), d.Metadata["node_count_main_graph"]);
        Assert.Equal(e.GetProperty("subgraph_count").ToString(), d.Metadata["subgraph_count"]);
        Assert.Equal(Tensors(e, "inputs", "elem_type"), Tensors(d.Inputs));
        Assert.Equal(Tensors(e, "outputs", "elem_type"), Tensors(d.Outputs));
        Assert.Equal(e.GetProperty("ir_version").ToString(), d.Metadata["ir_version"]);
        Assert.Equal(string.Join(',', e.GetProperty("opset_import").EnumerateArray()
                .Select(o => $"{o.GetProperty("domain").GetString()}:{o.GetProperty("version")}")),
            d.Metadata["opset_import"]);
        Assert.Equal(e.GetProperty("producer_name").GetString(), d.Metadata["producer_name"]);
        Assert.Equal(e.GetProperty("producer_version").GetString(), d.Metadata["producer_version"]);
        Assert.Equal(e.GetProperty("int8_uint8_initializers").ToString(), d.Metadata["int8_uint8_initializers"]);
    }

    private static void CompareNcnn(JsonElement e, ModelDissected d)
    {
        Assert.Equal(Histogram(e, "layer_type_histogram"), Histogram(d.Ops));
        Assert.Equal(e.GetProperty("layer_count_parsed").GetInt32(), d.Layers);
        Assert.Equal(e.GetProperty("layer_count_declared").ToString(), d.Metadata["layer_count_declared"]);
        Assert.Equal(e.GetProperty("blob_count_declared").ToString(), d.Metadata["blob_count_declared"]);
        Assert.Equal(e.GetProperty("distinct_blobs_produced").ToString(), d.Metadata["distinct_blobs_produced"]);
        var inputLayers = e.GetProperty("input_layers").EnumerateArray().ToList();
        Assert.Equal(inputLayers.Select(l => l.GetProperty("blob").GetString()), d.Inputs.Select(i => i.Name));
        for (int i = 0; i < inputLayers.Count; i++)
        {
            var p = inputLayers[i].GetProperty("params");
            Assert.Equal(string.Join(';', p.EnumerateObject().Select(kv => $"{kv.Name}={kv.Value.GetString()}")),
                d.Metadata[$"input.{d.Inputs[i].Name}.params"]);
        }
    }

    private static void CompareCaffe(JsonElement e, ModelDissected d)
    {
        Assert.Equal(Histogram(e, "layer_type_histogram"), Histogram(d.Ops));
        Assert.Equal(e.GetProperty("layer_count").GetInt32(), d.Layers);
        Assert.Equal(e.GetProperty("net_name").GetString(), d.Metadata["net_name"]);
        Assert.Equal(e.GetProperty("legacy_layers_blocks").ToString(), d.Metadata["legacy_layers_blocks"]);
        var inputs = e.GetProperty("inputs").EnumerateArray()
            .Select(i => $"{i.GetProperty("name").GetString()}[{string.Join(',', i.GetProperty("dims").EnumerateArray().Select(x => x.ToString()))}]");
        Assert.Equal(inputs, d.Inputs.Select(i => $"{i.Name}[{string.Join(',', i.Shape)}]"));
    }

    private static List<string> Histogram(JsonElement e, string property) =>
        e.GetProperty(property).EnumerateObject().Select(p => $"{p.Name}={p.Value}").Order(StringComparer.Ordinal).ToList();

    private static List<string> Histogram(IEnumerable<NameCount> counts) =>
        counts.Select(c => $"{c.Name}={c.Count}").Order(StringComparer.Ordinal).ToList();

    /// <summary>Name, shape (unknown dims as null; ONNX symbolic dims are unknown too) and dtype of each tensor.</summary>
    private static List<string> Tensors(JsonElement e, string property, string dtypeField) =>
        e.GetProperty(property).EnumerateArray().Select(t =>
            $"{t.GetProperty("name").GetString()}[{string.Join(',', t.GetProperty("shape").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.ToString() : "?"))}]{t.GetProperty(dtypeField).GetString()}").ToList();

    private static List<string> Tensors(IEnumerable<TensorSpec> specs) =>
        specs.Select(t => $"{t.Name}[{string.Join(',', t.Shape.Select(x => x?.ToString() ?? "?"))}]{t.Dtype}").ToList();
}
