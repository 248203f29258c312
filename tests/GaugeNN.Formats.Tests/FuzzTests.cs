using System.Diagnostics;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// Mutated real models: every reader either returns a result or throws <see cref="MalformedModelException"/> (or,
/// for a layout it does not read, <see cref="NotSupportedException"/> with a "not dissected" reason); no
/// input takes a second; the probe never throws. An input that breaks this is written to regressions/ (named after
/// the reader and the exception) and replayed by <see cref="regression_inputs_parse_or_fail_cleanly"/>.
/// </summary>
public class FuzzTests
{
    /// <summary>5,000 per reader by default; GAUGENN_FUZZ_INPUTS runs a longer campaign locally.</summary>
    private static readonly int InputsPerReader =
        int.TryParse(Environment.GetEnvironmentVariable("GAUGENN_FUZZ_INPUTS"), out int inputs) && inputs > 0 ? inputs : 5000;
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    public static TheoryData<string, string[]> Readers() => new()
    {
        { "tflite", ["tflite/derived/hand_recrop_int8w.tflite", "tflite/hand_recrop.tflite", "local/external_buffer.tflite",
            "formats/tflite_metadata.tflite"] },
        { "onnx", ["onnx/onnx_testdata_test_operator_conv.onnx", "onnx/onnx_testdata_test_qlinearconv.onnx",
            "onnx/onnx_testdata_test_qlinearmatmul_2D.onnx", "onnx/onnx_testdata_test_dequantizelinear.onnx",
            "onnx/ch_ppocr_mobile_v2.0_cls_infer.onnx", "local/shape_ops.onnx", "idioms/pytorch_slices_if.onnx",
            "idioms/tf2onnx_loop_scan.onnx", "idioms/external_data.onnx", "idioms/torch_flip_if.onnx", "idioms/torch_loop.onnx",
            "idioms/pytorch_opset9.onnx", "idioms/symbolic_sequence.onnx"] },
        { "ncnn", ["ncnn/squeezenet_v1.1.param", "ncnn/blazeface.param", "ncnn/squeezenet_v1.1.param.bin"] },
        { "caffe", ["caffe/lenet.prototxt", "caffe/squeezenet_v1.1.prototxt", "caffe/bvlc_alexnet_deploy.prototxt",
            "local/tiny.caffemodel"] },
        { "mnn", ["mnn/squeezenetv1.1.mnn", "mnn/MobileNetV2_224.mnn"] },
        { "tf", ["local/tiny_graph.pb", "formats/tf_convnet.pb"] },
        { "pytorch", ["local/tiny_mobile.ptl", "formats/torch_mobile.ptl"] },
        { "paddle", ["formats/paddle_v2.nb", "formats/paddle_v1.nb"] },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void mutated_models_parse_or_fail_with_the_typed_exception_within_a_second(string format, string[] seeds)
    {
        var seedBytes = seeds.Select(Fixtures.Read).ToArray();
        var mutator = new Mutator(format.Length * 7919 + format[0] + InputsPerReader);
        bool text = format is "ncnn" or "caffe";
        int slow = 0, parsed = 0;
        var crashes = new List<string>();
        for (int i = 0; i < InputsPerReader; i++)
        {
            var input = mutator.Mutate(seedBytes[i % seedBytes.Length], text);
            var clock = Stopwatch.StartNew();
            try
            {
                ModelDissector.Read(input, format);
                parsed++;
            }
            catch (Exception e) when (e is MalformedModelException or NotSupportedException)
            {
                // Refused cleanly: broken bytes, or a layout the reader names as not dissected (e.g. Paddle-Lite 0).
            }
            catch (Exception e)
            {
                crashes.Add(SaveRegression(format, e, input));
            }
            try
            {
                FormatProbe.Identify(input, seeds[i % seeds.Length]);
            }
            catch (Exception e)
            {
                crashes.Add(SaveRegression(format, e, input));
            }
            if (clock.Elapsed > Slow) slow++;
        }

        Assert.Empty(crashes);
        Assert.Equal(0, slow);
        Assert.InRange(parsed, 1, InputsPerReader - 1);
    }

    public static TheoryData<string> RegressionInputs() => Fixtures.Theory(
        Directory.Exists(Fixtures.RegressionsFolder)
            ? Directory.EnumerateFiles(Fixtures.RegressionsFolder).Select(Path.GetFileName).OfType<string>()
            : []);

    [Theory]
    [MemberData(nameof(RegressionInputs))]
    public void regression_inputs_parse_or_fail_cleanly(string file)
    {
        string format = file.Split('-')[0];
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.RegressionsFolder, file));

        var failure = Record.Exception(() => ModelDissector.Read(bytes, format));

        Assert.True(failure is null or MalformedModelException or NotSupportedException, failure?.ToString());
        Assert.NotNull(ModelDissector.Dissect(bytes, format, TimeProvider.System));
        Assert.Null(Record.Exception(() => FormatProbe.Identify(bytes, file)));
    }

    [Fact]
    public void a_model_that_shares_one_table_thousands_of_times_is_refused_by_the_work_budget()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.RegressionsFolder, "tflite-shared-tables-exceed-work-budget.bin"));

        var failure = Assert.Throws<MalformedModelException>(() => ModelDissector.Read(bytes, "tflite"));

        Assert.Contains("work budget", failure.Message);
        Assert.Null(FormatProbe.TfliteLength(bytes));
    }

    private static string SaveRegression(string format, Exception e, byte[] input)
    {
        string frame = new StackTrace(e).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("GaugeNN") == true)?.GetMethod()?.Name ?? "unknown";
        string name = $"{format}-{e.GetType().Name}-in-{frame}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..8]}.bin";
        Directory.CreateDirectory(Fixtures.RegressionsFolder);
        File.WriteAllBytes(Path.Combine(Fixtures.RegressionsFolder, name), input);
        return $"{name}: {e}";
    }
}
