// Spec: ncnn layer semantics, Tencent/ncnn src/layer/{convolution,convolutiondepthwise,pooling,padding,concat}.cpp
// (param ids and defaults as read in each layer's load_param; output size as computed in forward).
using System.Globalization;

namespace GaugeNN.Formats.Ncnn;

/// <summary>A 3-D ncnn blob shape (channels, height, width).</summary>
internal readonly record struct NcnnShape(long C, long H, long W);

/// <summary>
/// Propagates blob shapes from Input layers through the layers whose output size ncnn's own code defines simply
/// (convolutions, pooling, padding, concat, element-wise and pass-through layers); any other layer leaves its tops
/// unknown, so a convolution after it is counted unknown rather than guessed.
/// </summary>
internal sealed class NcnnShapes
{
    private const int SamePaddingUpper = -233, SamePaddingLower = -234;
    private readonly Dictionary<string, NcnnShape> _shapes = new(StringComparer.Ordinal);

    public NcnnShape? Shape(string blob) => _shapes.TryGetValue(blob, out var shape) ? shape : null;

    public void Propagate(string type, IReadOnlyList<string> bottoms, IReadOnlyList<string> tops, Func<int, long?> param)
    {
        NcnnShape? output;
        try
        {
            output = Output(type, bottoms, param);
        }
        catch (OverflowException)
        {
            output = null; // hostile sizes: the tops stay unknown, the layer's other facts stand
        }
        foreach (string top in tops)
        {
            if (output is { C: > 0, H: > 0, W: > 0 } shape) _shapes[top] = shape;
            else _shapes.Remove(top);
        }
    }

    private NcnnShape? Output(string type, IReadOnlyList<string> bottoms, Func<int, long?> param)
    {
        var input = bottoms.Count > 0 ? Shape(bottoms[0]) : null;
        return type switch
        {
            "Input" => param(0) is > 0 and var w && param(1) is > 0 and var h && param(2) is > 0 and var c
                ? new NcnnShape(c, h, w) : null,
            "Convolution" or "ConvolutionDepthWise" when input is { } x => Convolution(x, param),
            "Pooling" when input is { } x => Pooling(x, param),
            "Padding" when input is { } x => new NcnnShape(x.C + (param(7) ?? 0) + (param(8) ?? 0),
                x.H + (param(0) ?? 0) + (param(1) ?? 0), x.W + (param(2) ?? 0) + (param(3) ?? 0)),
            "Concat" when (param(0) ?? 0) == 0 && bottoms.All(b => Shape(b) is not null) && input is { } x =>
                new NcnnShape(bottoms.Sum(b => Shape(b)!.Value.C), x.H, x.W),
            "ReLU" or "Sigmoid" or "TanH" or "Dropout" or "BatchNorm" or "Scale" or "Bias" or "PReLU" or "Clip"
                or "HardSigmoid" or "HardSwish" or "Swish" or "Mish" or "ELU" or "Split" or "BinaryOp" or "Eltwise"
                or "Softmax" or "UnaryOp" or "Power" or "Noop" or "LRN" or "AbsVal" or "BNLL" => input,
            _ => null,
        };
    }

    private static NcnnShape? Convolution(NcnnShape x, Func<int, long?> param)
    {
        long outputs = param(0) ?? 0;
        long kw = param(1) ?? 0, kh = param(11) ?? kw;
        long dw = param(2) ?? 1, dh = param(12) ?? dw;
        long sw = param(3) ?? 1, sh = param(13) ?? sw;
        long left = param(4) ?? 0, right = param(15) ?? left, top = param(14) ?? left, bottom = param(16) ?? top;
        if (outputs <= 0 || kw <= 0 || kh <= 0 || dw <= 0 || dh <= 0 || sw <= 0 || sh <= 0) return null;
        if (left is SamePaddingUpper or SamePaddingLower)
            return new NcnnShape(outputs, (x.H + sh - 1) / sh, (x.W + sw - 1) / sw);
        if (left < 0 || right < 0 || top < 0 || bottom < 0) return null;
        long ow = (x.W + left + right - (dw * (kw - 1) + 1)) / sw + 1;
        long oh = (x.H + top + bottom - (dh * (kh - 1) + 1)) / sh + 1;
        return new NcnnShape(outputs, oh, ow);
    }

    private static NcnnShape? Pooling(NcnnShape x, Func<int, long?> param)
    {
        if ((param(4) ?? 0) == 1) return new NcnnShape(x.C, 1, 1);
        long kw = param(1) ?? 0, kh = param(11) ?? kw;
        long sw = param(2) ?? 1, sh = param(12) ?? sw;
        long left = param(3) ?? 0, right = param(14) ?? left, top = param(13) ?? left, bottom = param(15) ?? top;
        long mode = param(5) ?? 0;
        if (kw <= 0 || kh <= 0 || sw <= 0 || sh <= 0 || left < 0 || right < 0 || top < 0 || bottom < 0) return null;
        return mode switch
        {
            // 0: full padding, the last window may overhang (ceiling division); 1: valid (floor).
            0 => new NcnnShape(x.C, (x.H + top + bottom - kh + sh - 1) / sh + 1, (x.W + left + right - kw + sw - 1) / sw + 1),
            1 => new NcnnShape(x.C, (x.H + top + bottom - kh) / sh + 1, (x.W + left + right - kw) / sw + 1),
            _ => new NcnnShape(x.C, (x.H + sh - 1) / sh, (x.W + sw - 1) / sw),
        };
    }

    /// <summary>An integer param value, or null when absent or not an integer (arrays, floats).</summary>
    public static long? Integer(string? value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) ? parsed : null;
}
