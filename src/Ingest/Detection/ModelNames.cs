namespace GaugeNN.Ingest.Detection;

/// <summary>
/// What an entry's name says about it. Only extensions no other kind of file uses count as "named like a model":
/// <c>.bin</c>, <c>.model</c>, <c>.json</c> and <c>.data</c> are too common to call an unreadable file an encrypted model.
/// </summary>
public static class ModelNames
{
    private static readonly Dictionary<string, string> FormatByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".tflite"] = "tflite", [".lite"] = "tflite", [".tfl"] = "tflite",
        [".onnx"] = "onnx", [".ort"] = "onnx",
        [".mnn"] = "mnn",
        [".param"] = "ncnn",
        [".caffemodel"] = "caffe", [".prototxt"] = "caffe",
        [".pb"] = "tf",
        [".pt"] = "pytorch", [".ptl"] = "pytorch",
        [".dlc"] = "snpe",
        [".nb"] = "paddle",
    };

    /// <summary>The format a model-like name suggests, or null when the name is not a model's.</summary>
    public static string? FormatSuggestedBy(string entryName)
    {
        if (entryName.EndsWith(".param.bin", StringComparison.OrdinalIgnoreCase)) return "ncnn";
        return FormatByExtension.GetValueOrDefault(Path.GetExtension(FileName(entryName)));
    }

    /// <summary>ncnn keeps weights beside the network as <c>stem.bin</c> (for <c>stem.param</c> or <c>stem.param.bin</c>).</summary>
    public static string? NcnnWeightsNameFor(string paramEntryName)
    {
        foreach (var suffix in (string[])[".param.bin", ".param"])
            if (paramEntryName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return paramEntryName[..^suffix.Length] + ".bin";
        return null;
    }

    public static string FileName(string entryName) => entryName[(entryName.LastIndexOf('/') + 1)..];
}
