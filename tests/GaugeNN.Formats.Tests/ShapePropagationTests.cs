using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// Formats without flatc/onnx ground truth are checked against arithmetic done by hand from the files themselves
/// (layer parameters quoted in each comment) and against each other where two files hold one network.
/// </summary>
public class ShapePropagationTests
{
    [Fact]
    public void lenet_macs_and_params_follow_its_declared_input_through_every_layer()
    {
        // data 64x1x28x28; conv1 20@5x5 -> 20x24x24; pool 2/2 -> 12x12; conv2 50@5x5 -> 50x8x8; pool -> 4x4;
        // ip1 500 over 50*4*4 = 800; ip2 10 over 500.
        long conv1 = 20 * 24 * 24 * (1 * 5 * 5), conv2 = 50 * 8 * 8 * (20 * 5 * 5), ip1 = 500 * 800, ip2 = 10 * 500;
        long weights = 20 * 25 + 20 + 50 * 20 * 25 + 50 + 800 * 500 + 500 + 500 * 10 + 10;

        var lenet = Dissect("caffe/lenet.prototxt", "caffe");

        Assert.Equal(64 * (conv1 + conv2 + ip1 + ip2), lenet.Macs);
        Assert.Equal(0, lenet.MacsUnknownNodes);
        Assert.Equal(weights, lenet.Params);
    }

    [Fact]
    public void a_legacy_layers_prototxt_with_net_level_input_dims_gives_the_same_macs_as_its_modern_form()
    {
        // LeNet rewritten the pre-2015 way: net-level input/input_dim instead of an Input layer, V1 "layers" blocks
        // with enum types.
        string modern = System.Text.Encoding.UTF8.GetString(Fixtures.Read("caffe/lenet.prototxt"));
        int inputLayerEnd = modern.IndexOf("}\n}\n", modern.IndexOf("type: \"Input\"", StringComparison.Ordinal), StringComparison.Ordinal) + 4;
        string legacy = "name: \"LeNet\"\ninput: \"data\"\ninput_dim: 64\ninput_dim: 1\ninput_dim: 28\ninput_dim: 28\n"
            + modern[inputLayerEnd..].Replace("layer {", "layers {").Replace("\"Convolution\"", "CONVOLUTION")
                .Replace("\"Pooling\"", "POOLING").Replace("\"InnerProduct\"", "INNER_PRODUCT").Replace("\"ReLU\"", "RELU")
                .Replace("\"Softmax\"", "SOFTMAX");

        var before = Dissect("caffe/lenet.prototxt", "caffe");
        var after = Assert.IsType<ModelDissected>(ModelDissector.Dissect(System.Text.Encoding.UTF8.GetBytes(legacy), "caffe", TimeProvider.System));

        Assert.Equal("8", after.Metadata["legacy_layers_blocks"]);
        Assert.Equal(before.Macs, after.Macs);
        Assert.Equal(before.Params, after.Params);
        Assert.Equal(["data[64,1,28,28]"], after.Inputs.Select(i => $"{i.Name}[{string.Join(',', i.Shape)}]"));
        Assert.Contains(after.Ops, op => op.Name == "CONVOLUTION" && op.Count == 2);
    }

    [Fact]
    public void alexnet_params_match_the_published_count_for_its_grouped_convolutions()
    {
        var alexnet = Dissect("caffe/bvlc_alexnet_deploy.prototxt", "caffe");

        Assert.Equal(60_965_224, alexnet.Params); // BVLC model zoo figure for bvlc_alexnet
        Assert.Equal(0, alexnet.MacsUnknownNodes);
    }

    [Fact]
    public void the_binary_and_text_ncnn_params_of_squeezenet_describe_the_same_layers()
    {
        var text = Dissect("ncnn/squeezenet_v1.1.param", "ncnn");
        var binary = Dissect("ncnn/squeezenet_v1.1.param.bin", "ncnn");

        Assert.Equal(text.Ops, binary.Ops);
        Assert.Equal(text.Layers, binary.Layers);
        Assert.Equal(text.Params, binary.Params);
        Assert.Equal(text.Metadata["distinct_blobs_produced"], binary.Metadata["distinct_blobs_produced"]);
    }

    [Fact]
    public void caffe_and_ncnn_squeezenet_agree_on_weights_and_on_propagated_macs()
    {
        var caffe = Dissect("caffe/squeezenet_v1.1.prototxt", "caffe");
        var ncnn = Dissect("ncnn/squeezenet_v1.1.param", "ncnn");

        Assert.Equal(caffe.Params, ncnn.Params);
        Assert.Equal(caffe.Macs, ncnn.Macs);
        Assert.Equal(0, ncnn.MacsUnknownNodes);
    }

    [Fact]
    public void ncnn_convolution_macs_use_the_output_shape_hints_when_the_converter_wrote_them()
    {
        // mobilenet_v2.param: conv1 "-23330=4,3,112,112,32 ... 6=864" -> 112*112*864 MACs for that layer alone.
        var mobilenet = Dissect("ncnn/mobilenet_v2.param", "ncnn");

        Assert.True(mobilenet.Macs > 112L * 112 * 864);
        Assert.Equal(0, mobilenet.MacsUnknownNodes);
    }

    [Fact]
    public void ncnn_convolutions_without_hints_or_input_dims_are_counted_unknown_never_guessed()
    {
        string text = System.Text.Encoding.UTF8.GetString(Fixtures.Read("ncnn/squeezenet_v1.1.param"));
        var withoutInputDims = System.Text.Encoding.UTF8.GetBytes(text.Replace("0=227 1=227 2=3", ""));

        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(withoutInputDims, "ncnn", TimeProvider.System));

        Assert.Equal(26, dissected.MacsUnknownNodes);
        Assert.Equal(0, dissected.Macs);
    }

    [Fact]
    public void onnx_shapes_flow_through_pad_reduce_split_and_flatten_to_every_mac_node()
    {
        // x[1,3,32,32] -> Pad 1 -> [1,3,34,34] -> Conv 8@3x3 -> [1,8,32,32] -> ReduceMean(2,3) -> [1,8,1,1]
        // -> Split -> [1,4,1,1] -> Conv 4@1x1 -> [1,4,1,1] -> Flatten -> [1,4] -> Gemm 4x10.
        long conv1 = 32 * 32 * 8 * (3 * 3) * 3, conv2 = 4 * 4, gemm = 1 * 4 * 10;

        var dissected = Dissect("local/shape_ops.onnx", "onnx");

        Assert.Equal(conv1 + conv2 + gemm, dissected.Macs);
        Assert.Equal(0, dissected.MacsUnknownNodes);
        Assert.Equal(8 + 216 + 16 + 40, dissected.Params);
    }

    [Fact]
    public void tflite_weights_stored_by_offset_count_as_constants()
    {
        // make_external_buffer_tflite.py: CONV_2D, filter [4,3,3,3] in an external buffer, output [1,6,6,4].
        var dissected = Dissect("local/external_buffer.tflite", "tflite");

        Assert.Equal(4 * 3 * 3 * 3, dissected.Params);
        Assert.Equal([new NameCount("FLOAT32", 108)], dissected.WeightDtypes);
        Assert.Equal(1 * 6 * 6 * 4 * 3 * 3 * 3, dissected.Macs);
    }

    [Fact]
    public void mnn_benchmark_models_count_the_weights_they_declare_but_do_not_store()
    {
        var squeezenet = Dissect("mnn/squeezenetv1.1.mnn", "mnn");

        Assert.Equal(26, squeezenet.Ops.Single(o => o.Name == "Convolution").Count);
        Assert.Equal([1, 3, 227, 227], squeezenet.Inputs.Single().Shape);
        Assert.Equal([new NameCount("NOT_STORED", squeezenet.Params)], squeezenet.WeightDtypes);
        Assert.True(Fixtures.Read("mnn/squeezenetv1.1.mnn").Length < squeezenet.Params);
    }

    private static ModelDissected Dissect(string key, string format) =>
        Assert.IsType<ModelDissected>(ModelDissector.Dissect(Fixtures.Read(key), format, TimeProvider.System));
}
