using GaugeNN.Events;

namespace GaugeNN.Formats.Tests;

/// <summary>The task rules (see TaskRules) applied to the fixture models; the rule that fired is part of the answer.</summary>
public class TaskInferenceTests
{
    [Theory]
    [InlineData("tflite/face_detection_short_range.tflite", "face-detection", "anchor-head-face")]
    [InlineData("tflite/face_detection_full_range_sparse.tflite", "face-detection", "anchor-head-face")]
    [InlineData("tflite/palm_detection_lite.tflite", "object-detection", "anchor-head")]
    [InlineData("tflite/selfie_segmentation.tflite", "segmentation", "segmentation-mask")]
    [InlineData("tflite/hand_recrop.tflite", "landmarks-pose", "landmark-name")]
    [InlineData("onnx/silero_vad_v5.onnx", "audio-speech", "audio-input")]
    [InlineData("onnx/ch_ppocr_mobile_v2.0_cls_infer.onnx", "image-classification", "image-classifier")]
    [InlineData("caffe/squeezenet_v1.1.prototxt", "image-classification", "image-classifier")]
    [InlineData("caffe/lenet.prototxt", "image-classification", "image-classifier")]
    [InlineData("ncnn/mobilenet_v2.param", "image-classification", "image-classifier")]
    [InlineData("onnx/onnx_testdata_test_operator_conv.onnx", "unknown", "no-rule")]
    public void a_fixture_model_gets_the_task_its_structure_implies(string key, string task, string rule)
    {
        string format = key.Split('/')[0];

        var dissected = Assert.IsType<ModelDissected>(ModelDissector.Dissect(Fixtures.Read(key), format, TimeProvider.System));

        Assert.Equal((task, rule), (dissected.Task, dissected.TaskRule));
    }
}
