using System.Text.RegularExpressions;
using GaugeNN.Events;

namespace GaugeNN.Formats.Dissection;

/// <summary>
/// Infers what a model is for from its structure, by an explicit ordered rule list; the first rule that fires wins
/// and its id is stored with the task so a reader can see why.
/// <list type="number">
/// <item><c>detection-postprocess-op</c>: a detection post-processing op (TFLite_Detection_PostProcess,
/// NonMaxSuppression*, DetectionOutput, PriorBox) → object-detection, or face-detection when a name says face.</item>
/// <item><c>audio-frontend-op</c>: an audio front-end op (AudioSpectrogram, Mfcc, STFT, DFT, RFFT2D, MelWeightMatrix)
/// → audio-speech.</item>
/// <item><c>audio-input</c>: an input named like audio (audio, wav, pcm, waveform, speech, mfcc, fbank, sample rate
/// <c>sr</c>) → audio-speech.</item>
/// <item><c>ocr-name</c>: a name says ocr / crnn / ctc / text recognition → ocr.</item>
/// <item><c>anchor-head-face</c>: two outputs [1, A, 16] and [1, A, 1] with A ≥ 100, the BlazeFace layout (4 box values
/// + 6 key points × 2) → face-detection.</item>
/// <item><c>anchor-head</c>: two outputs [1, A, K] and [1, A, C] with A ≥ 100 and K ≥ 4 (box regressors and scores per
/// anchor) → object-detection; a name saying face makes it face-detection.</item>
/// <item><c>segmentation-mask</c>: an output of rank 4 whose spatial size equals the image input's → segmentation.</item>
/// <item><c>landmark-name</c>: a name says landmark / pose / keypoint / hand / iris / mesh → landmarks-pose.</item>
/// <item><c>token-input</c>: an integer input of rank ≤ 2 or a name saying token / input_ids / vocab → text.</item>
/// <item><c>image-classifier</c>: an image input (rank 4, 1/3/4 channels) and an output of rank 2 (or a final
/// Softmax layer when outputs are not declared) → image-classification.</item>
/// <item><c>no-rule</c>: nothing fired → unknown.</item>
/// </list>
/// </summary>
internal static partial class TaskRules
{
    private const int MinAnchors = 100;

    public static (string Task, string Rule) Infer(ModelFacts facts)
    {
        string names = string.Join('\n', facts.Names).ToLowerInvariant();
        bool saysFace = names.Contains("face");
        var ops = facts.Ops.Names.ToList();

        if (ops.Any(op => DetectionOp().IsMatch(op)))
            return (saysFace ? "face-detection" : "object-detection", "detection-postprocess-op");
        if (ops.Any(op => AudioOp().IsMatch(op)))
            return ("audio-speech", "audio-frontend-op");
        if (facts.Inputs.Any(i => AudioName().IsMatch(i.Name.ToLowerInvariant())))
            return ("audio-speech", "audio-input");
        if (OcrName().IsMatch(names))
            return ("ocr", "ocr-name");
        if (AnchorHead(facts.Outputs) is { } boxValues)
        {
            if (boxValues == 16) return ("face-detection", "anchor-head-face");
            return (saysFace ? "face-detection" : "object-detection", "anchor-head");
        }
        var image = facts.Inputs.FirstOrDefault(IsImage);
        if (image is not null && facts.Outputs.Any(o => SameSpatialSize(image, o)))
            return ("segmentation", "segmentation-mask");
        if (LandmarkName().IsMatch(names))
            return ("landmarks-pose", "landmark-name");
        if (facts.Inputs.Any(i => i.Dtype.StartsWith("INT", StringComparison.Ordinal) && i.Shape.Count is 1 or 2 && image is null)
            || TokenName().IsMatch(names))
            return ("text", "token-input");
        if (image is not null && (facts.Outputs.Any(o => o.Shape.Count == 2)
                                  || (facts.Outputs.Count == 0 && facts.Metadata.GetValueOrDefault("last_layer") == "Softmax")))
            return ("image-classification", "image-classifier");
        return ("unknown", "no-rule");
    }

    private static int? AnchorHead(List<TensorSpec> outputs)
    {
        foreach (var boxes in outputs)
        foreach (var scores in outputs)
        {
            if (ReferenceEquals(boxes, scores) || boxes.Shape.Count != 3 || scores.Shape.Count != 3) continue;
            if (boxes.Shape[1] is not >= MinAnchors || boxes.Shape[1] != scores.Shape[1]) continue;
            if (boxes.Shape[2] is >= 4 and var k && scores.Shape[2] is { } c && c < k) return (int)k;
        }
        return null;
    }

    private static bool IsImage(TensorSpec input)
    {
        if (input.Shape.Count != 4) return false;
        var s = input.Shape;
        return s[3] is 1 or 3 or 4 && s[1] is null or >= 16 || s[1] is 1 or 3 or 4 && s[3] is null or >= 16;
    }

    private static bool SameSpatialSize(TensorSpec image, TensorSpec output)
    {
        if (output.Shape.Count != 4) return false;
        bool channelsLast = image.Shape[3] is 1 or 3 or 4;
        var (h, w) = channelsLast ? (image.Shape[1], image.Shape[2]) : (image.Shape[2], image.Shape[3]);
        var (oh, ow) = channelsLast ? (output.Shape[1], output.Shape[2]) : (output.Shape[2], output.Shape[3]);
        return h is >= 16 && w is >= 16 && oh == h && ow == w;
    }

    [GeneratedRegex("^(TFLite_Detection_PostProcess|NonMaxSuppression.*|NON_MAX_SUPPRESSION.*|DetectionOutput|PriorBox)$")]
    private static partial Regex DetectionOp();

    [GeneratedRegex("^(AudioSpectrogram|Mfcc|STFT|DFT|RFFT2D|RFFT|MelWeightMatrix)$", RegexOptions.IgnoreCase)]
    private static partial Regex AudioOp();

    [GeneratedRegex(@"(^|[^a-z])(audio|wav|pcm|waveform|speech|mfcc|fbank|sr|sample_rate)([^a-z]|$)")]
    private static partial Regex AudioName();

    [GeneratedRegex(@"ocr|crnn|(^|[^a-z])ctc([^a-z]|$)|text_?rec")]
    private static partial Regex OcrName();

    [GeneratedRegex("landmark|pose|keypoint|hand|iris|mesh")]
    private static partial Regex LandmarkName();

    [GeneratedRegex(@"input_ids|token|vocab|bert")]
    private static partial Regex TokenName();
}
