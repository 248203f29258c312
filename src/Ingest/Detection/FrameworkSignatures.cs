using System.Text;

namespace GaugeNN.Ingest.Detection;

/// <summary>
/// What betrays a DL framework outside model files: class-name prefixes in DEX string tables, native library file
/// names, and strings compiled into native libraries. Framework names match the model formats where one exists.
/// </summary>
public static class FrameworkSignatures
{
    public sealed record Signature(string Framework, string Text, byte[] Bytes);

    private static Signature S(string framework, string text) => new(framework, text, Encoding.ASCII.GetBytes(text));

    /// <summary>Type descriptors (<c>Lpackage/Class;</c>) whose prefix names a framework's or a cloud ML API's classes.</summary>
    public static readonly Signature[] DexClassPrefixes =
    [
        S("tflite", "Lorg/tensorflow/lite/"),
        S("tf", "Lorg/tensorflow/contrib/android/"),
        S("mlkit", "Lcom/google/mlkit/"),
        // Firebase ML's cloud APIs first: the first matching prefix wins, and they share the on-device root.
        S("cloud:firebase-ml", "Lcom/google/firebase/ml/vision/cloud/"),
        S("cloud:firebase-ml", "Lcom/google/firebase/ml/naturallanguage/translate/"),
        S("firebase-ml", "Lcom/google/firebase/ml/"),
        S("onnx", "Lai/onnxruntime/"),
        S("pytorch", "Lorg/pytorch/"),
        S("mnn", "Lcom/alibaba/android/mnn/"),
        S("mnn", "Lcom/taobao/android/mnn/"),
        S("snpe", "Lcom/qualcomm/qti/snpe/"),
        S("paddle", "Lcom/baidu/paddle/lite/"),
        S("ncnn", "Lcom/tencent/ncnn/"),
        S("opencv-dnn", "Lorg/opencv/dnn/"),
        S("cloud:google-vision", "Lcom/google/cloud/vision/"),
        S("cloud:google-vision", "Lcom/google/api/services/vision/"),
        S("cloud:aws-rekognition", "Lcom/amazonaws/services/rekognition/"),
        S("cloud:aws-amplify-predictions", "Lcom/amplifyframework/predictions/"),
        S("cloud:azure-cognitive", "Lcom/microsoft/azure/cognitiveservices/"),
        S("cloud:azure-cognitive", "Lcom/microsoft/cognitiveservices/"),
        S("cloud:baidu-ai", "Lcom/baidu/aip/"),
    ];

    /// <summary>Native library file names (a trailing <c>*</c> matches any rest of the name before <c>.so</c>).</summary>
    public static readonly (string Framework, string Pattern)[] NativeLibraryNames =
    [
        ("tflite", "libtensorflowlite_jni.so"),
        ("tflite", "libtensorflowlite_gpu_jni.so"),
        ("tflite", "libtensorflowlite_flex_jni.so"),
        ("tflite", "libtensorflowlite_c.so"),
        ("tflite", "libtensorflowlite.so"),
        ("tf", "libtensorflow_inference.so"),
        ("onnx", "libonnxruntime.so"),
        ("onnx", "libonnxruntime4j_jni.so"),
        ("pytorch", "libpytorch_jni*"),
        ("pytorch", "libpytorch_vision_jni.so"),
        ("ncnn", "libncnn.so"),
        ("mnn", "libMNN.so"),
        ("mnn", "libMNN_CL.so"),
        ("mnn", "libMNN_Express.so"),
        ("snpe", "libSNPE.so"),
        ("paddle", "libpaddle_lite_jni.so"),
        ("paddle", "libpaddle_light_api_shared.so"),
        ("mace", "libmace.so"),
        ("opencv", "libopencv_java*"),
    ];

    /// <summary>Strings only a framework's own compiled code carries (source paths, mangled type names, API names).</summary>
    public static readonly Signature[] NativeLibraryStrings =
    [
        S("tflite", "/tensorflow/lite/"),
        S("ncnn", "N4ncnn5LayerE"),
        S("caffe", "caffe.BlobProto"),
        S("snpe", "snpe_get_tensor_dims"),
        S("mnn", "N3MNN7SessionE"),
        S("onnx", "onnxruntime::"),
    ];

    public static string? FrameworkOfLibraryName(string fileName)
    {
        foreach (var (framework, pattern) in NativeLibraryNames)
        {
            bool match = pattern.EndsWith('*')
                ? fileName.StartsWith(pattern[..^1], StringComparison.Ordinal) && fileName.EndsWith(".so", StringComparison.Ordinal)
                : fileName == pattern;
            if (match) return framework;
        }
        return null;
    }

    public static Signature? MatchDexString(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0 || value[0] != (byte)'L') return null;
        foreach (var signature in DexClassPrefixes)
            if (value.StartsWith(signature.Bytes)) return signature;
        return null;
    }
}
