namespace GaugeNN.Formats.Tests;

/// <summary>Every prefix of a valid file either parses or fails with <see cref="MalformedModelException"/>.</summary>
public class TruncationTests
{
    [Theory]
    [InlineData("onnx", "onnx/onnx_testdata_test_qlinearconv.onnx")]
    [InlineData("onnx", "onnx/onnx_testdata_test_operator_conv.onnx")]
    [InlineData("caffe", "caffe/lenet.prototxt")]
    [InlineData("ncnn", "ncnn/squeezenet_v1.1.param.bin")]
    [InlineData("ncnn", "ncnn/blazeface.param")]
    [InlineData("tflite", "tflite/derived/hand_recrop_int8w.tflite")]
    [InlineData("tflite", "local/external_buffer.tflite")]
    [InlineData("onnx", "local/shape_ops.onnx")]
    [InlineData("pytorch", "local/tiny_mobile.ptl")]
    [InlineData("mnn", "mnn/squeezenetv1.1.mnn")]
    [InlineData("mnn", "mnn/MobileNetV2_224.mnn")]
    public void every_prefix_of_a_valid_file_parses_or_fails_with_the_typed_exception(string format, string key)
    {
        var bytes = Fixtures.Read(key);
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsMemory(0, length);

            var failure = Record.Exception(() => ModelDissector.Read(prefix, format));

            Assert.True(failure is null or MalformedModelException, $"prefix {length}: {failure}");
        }
    }

    /// <summary>The small fixtures added for issue 9 (format, key); the same check as above, one case each.</summary>
    public static TheoryData<string, string> NewSmallFixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in Fixtures.IdiomFiles()) data.Add("onnx", "idioms/" + file);
        foreach (string file in Fixtures.FormatFiles()) data.Add(Fixtures.Declared(file).GetProperty("format").GetString()!, "formats/" + file);
        return data;
    }

    [Theory]
    [MemberData(nameof(NewSmallFixtures))]
    public void every_prefix_of_a_new_small_fixture_parses_or_fails_with_the_typed_exception(string format, string key) =>
        every_prefix_of_a_valid_file_parses_or_fails_with_the_typed_exception(format, key);

    [Fact]
    public void a_tflite_prefix_is_never_mistaken_for_a_whole_model()
    {
        var bytes = Fixtures.Read("tflite/derived/hand_recrop_int8w.tflite");

        for (int length = 0; length < bytes.Length; length += 97)
            Assert.Null(FormatProbe.TfliteLength(bytes.AsMemory(0, length)));
    }
}
