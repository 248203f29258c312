using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// PyTorch Mobile and TensorFlow GraphDef, on the small files make_small_fixtures.py writes with Python's own pickle
/// and zipfile and hand-encoded protobuf (no framework is installed in the build environment).
/// </summary>
public class ArchiveAndGraphFormatTests
{
    private static byte[] Local(string name) => Fixtures.Read("local/" + name);

    [Fact]
    public void a_pytorch_mobile_archive_is_identified_and_its_operator_tables_are_counted()
    {
        var bytes = Local("tiny_mobile.ptl");

        var identification = FormatProbe.Identify(bytes, "assets/tiny_mobile.ptl");
        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(bytes, "pytorch", TimeProvider.System));

        Assert.Equal("pytorch", identification?.Format);
        Assert.Equal(["aten::conv2d=2", "aten::relu=1", "aten::softmax=1"], dissected.Ops.Select(o => $"{o.Name}={o.Count}"));
        Assert.Equal("5", dissected.Metadata["archive_entries"]);
        Assert.Equal("True", dissected.Metadata["mobile_bytecode"]);
    }

    [Fact]
    public void a_pytorch_archive_whose_bytecode_was_altered_fails_its_crc_check_but_is_still_identified()
    {
        var altered = ZipBytes.ReplaceAll(Local("tiny_mobile.ptl"), "aten::relu", "aten::relx");

        var failed = Assert.IsType<ModelDissectionFailed>(ModelDissector.Dissect(altered, "pytorch", TimeProvider.System));

        Assert.Contains("CRC-32", failed.Reason);
        Assert.Equal("pytorch", FormatProbe.Identify(altered, "assets/tiny_mobile.ptl")?.Format);
    }

    [Fact]
    public void a_pickle_opcode_outside_the_allowed_table_is_refused_not_interpreted()
    {
        // Protocol 0 "cos\nsystem\n(S'id'\ntR." would call os.system in Python; here STRING ('S') is not allowed.
        var pickle = "cos\nsystem\n(S'id'\ntR."u8.ToArray();

        Assert.Throws<MalformedModelException>(() => GaugeNN.Formats.PyTorch.RestrictedPickle.Strings(pickle));
    }

    [Fact]
    public void a_frozen_graphdef_is_identified_and_gives_ops_consts_and_placeholders()
    {
        var bytes = Local("tiny_graph.pb");

        var identification = FormatProbe.Identify(bytes, "frozen_graph.pb");
        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(bytes, "tf", TimeProvider.System));

        Assert.Equal("tf", identification?.Format);
        Assert.Equal(6, dissected.Layers);
        Assert.Equal(3 * 3 * 3 * 8, dissected.Params);
        Assert.Equal([new NameCount("DT_FLOAT", 216)], dissected.WeightDtypes);
        var input = Assert.Single(dissected.Inputs);
        Assert.Equal(("input", "DT_FLOAT"), (input.Name, input.Dtype));
        Assert.Equal([1, 224, 224, 3], input.Shape);
        Assert.Equal("image-classification", dissected.Task);
    }

    [Fact]
    public void a_savedmodel_is_read_through_its_first_meta_graph()
    {
        var saved = Local("saved_model.pb");
        var frozen = Assert.IsType<ModelDissected>(ModelDissector.Dissect(Local("tiny_graph.pb"), "tf", TimeProvider.System));

        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(saved, "tf", TimeProvider.System));

        Assert.Equal("tf", FormatProbe.Identify(saved, "saved_model.pb")?.Format);
        Assert.Equal("SavedModel", dissected.Metadata["container"]);
        Assert.Equal(frozen.Ops, dissected.Ops);
        Assert.Equal(frozen.ArchFingerprint, dissected.ArchFingerprint);
    }

    [Fact]
    public void a_binary_caffemodel_gives_layer_types_and_params_from_its_blobs_in_both_layer_generations()
    {
        var bytes = Local("tiny.caffemodel");

        var identification = FormatProbe.Identify(bytes, "net.caffemodel");
        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(bytes, "caffe", TimeProvider.System));

        Assert.Equal("caffe", identification?.Format);
        Assert.Equal(["Convolution=1", "INNER_PRODUCT=1", "ReLU=1"], dissected.Ops.Select(o => $"{o.Name}={o.Count}").Order());
        Assert.Equal(8 * 3 * 3 * 3 + 8 + 10 * 72, dissected.Params);
        Assert.Equal("1", dissected.Metadata["legacy_layers_blocks"]);
        Assert.Equal(2, dissected.MacsUnknownNodes); // a caffemodel declares no input dims to propagate
    }

    [Fact]
    public void a_protobuf_that_is_not_a_graphdef_is_not_identified_as_tf()
    {
        var onnx = Fixtures.Read("onnx/onnx_testdata_test_operator_conv.onnx");

        Assert.NotEqual("tf", FormatProbe.Identify(onnx, "model.pb")?.Format);
    }

    [Fact]
    public void formats_without_a_dissector_fail_with_a_reason_instead_of_throwing()
    {
        var random = new byte[4096];
        new Random(3).NextBytes(random);

        var failed = Assert.IsType<ModelDissectionFailed>(ModelDissector.Dissect(random, "snpe", TimeProvider.System));

        Assert.Contains("snpe", failed.Reason);
        Assert.True(failed.LooksEncrypted);
    }

    [Fact]
    public void a_model_that_does_not_parse_fails_with_its_reason_and_low_entropy_is_not_called_encrypted()
    {
        var truncated = Fixtures.Read("tflite/hand_recrop.tflite")[..5000];

        var failed = Assert.IsType<ModelDissectionFailed>(ModelDissector.Dissect(truncated, "tflite", TimeProvider.System));

        Assert.Contains("tflite", failed.Reason);
        Assert.False(failed.LooksEncrypted);
    }
}
