// Spec: TensorFlow op shape functions, tensorflow/core/framework/common_shape_fns.cc (Conv2DShape,
// DepthwiseConv2DNativeShape, MatMulShape, MaxPoolShape, GetWindowedOutputSize: VALID = ceil((in - (k - 1) * d) / s),
// SAME = ceil(in / s)), array_ops.cc (Reshape, Squeeze, Pad, ConcatV2, ExpandDims) and math_ops.cc (Mean, broadcasting).
using GaugeNN.Formats.Dissection;

namespace GaugeNN.Formats.TfGraph;

/// <summary>
/// Shapes for a GraphDef's nodes (first output only) and the MACs of Conv2D, DepthwiseConv2dNative and MatMul. A node's
/// own <c>_output_shapes</c> wins; otherwise the shape is propagated. A node whose shape cannot be had keeps the
/// reason, which becomes the reason of any MAC node that needs it.
/// </summary>
internal static class TfShapes
{
    private sealed class Scope
    {
        public Dictionary<string, List<long?>> Shapes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long[]> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Why { get; } = new(StringComparer.Ordinal);

        public List<long?>? Shape(string input) => Shapes.GetValueOrDefault(Source(input));

        public string Reason(string input) => Why.GetValueOrDefault(Source(input)) ?? $"no shape reaches '{Source(input)}'";

        /// <summary>"node:k" names output k; only output 0 is tracked, so other outputs have no shape.</summary>
        public static string Source(string input) => input.EndsWith(":0", StringComparison.Ordinal) ? input[..^2] : input;
    }

    public static void Count(List<TfGraphDissector.TfNode> nodes, ModelFacts facts)
    {
        var scope = new Scope();
        foreach (var node in nodes)
        {
            var inputs = node.Inputs.Where(i => !i.StartsWith('^')).ToList();
            List<long?>? shape;
            string why = $"no shape rule for {node.Op} here";
            try
            {
                shape = Declared(node) ?? Infer(node, inputs, scope, ref why);
            }
            catch (OverflowException)
            {
                shape = null;
                why = $"{node.Op} '{node.Name}': shape arithmetic overflows";
            }
            if (shape is null && inputs.Count > 0 && scope.Shape(inputs[0]) is null && node.Op is not ("Const" or "Placeholder"))
                why = scope.Reason(inputs[0]);
            if (shape is not null) scope.Shapes[node.Name] = shape;
            else scope.Why[node.Name] = why;
            if (node.Op == "Const" && node.Attrs.GetValueOrDefault("value")?.Tensor?.Values is { } values) scope.Values[node.Name] = values;
            Macs(node, inputs, shape, scope, facts);
        }
    }

    private static List<long?>? Declared(TfGraphDissector.TfNode node) =>
        node.Attrs.GetValueOrDefault("_output_shapes")?.Shapes is [{ } first, ..] ? first : null;

    private static List<long?>? Infer(TfGraphDissector.TfNode node, List<string> inputs, Scope scope, ref string why)
    {
        List<long?>? Input(int i) => i < inputs.Count ? scope.Shape(inputs[i]) : null;
        long[]? Value(int i) => i < inputs.Count ? scope.Values.GetValueOrDefault(Scope.Source(inputs[i])) : null;
        var x = Input(0);
        switch (node.Op)
        {
            case "Placeholder" or "PlaceholderWithDefault":
                return node.Attrs.GetValueOrDefault("shape")?.Shape ?? (node.Op == "PlaceholderWithDefault" ? x : null);
            case "Const":
                return node.Attrs.GetValueOrDefault("value")?.Tensor?.Dims;
            case "Identity" or "Relu" or "Relu6" or "Elu" or "Selu" or "Sigmoid" or "Tanh" or "Softmax" or "LogSoftmax"
                or "BiasAdd" or "FusedBatchNorm" or "FusedBatchNormV3" or "LRN" or "Cast" or "Sqrt" or "Rsqrt" or "Exp"
                or "Neg" or "Abs" or "Square" or "StopGradient" or "LeakyRelu" or "Dequantize" or "FakeQuantWithMinMaxVars"
                or "Snapshot" or "Softplus":
                return x;
            case "Add" or "AddV2" or "Sub" or "Mul" or "RealDiv" or "Maximum" or "Minimum" or "SquaredDifference":
                return Broadcast(x, Input(1));
            case "Conv2D" or "DepthwiseConv2dNative":
                return Convolution(node, x, Input(1));
            case "MaxPool" or "AvgPool":
                return Pool(node, x);
            case "MatMul":
                var a = x;
                var b = Input(1);
                if (a is not { Count: 2 } || b is not { Count: 2 }) return null;
                return [Flag(node, "transpose_a") ? a[1] : a[0], Flag(node, "transpose_b") ? b[0] : b[1]];
            case "Mean" or "Sum" or "Max" or "Min" or "Prod":
                if (x is null || Value(1) is not { } axes) { why = $"{node.Op} '{node.Name}': its axes are not a constant"; return null; }
                var reduced = axes.Select(a => (int)(a < 0 ? a + x.Count : a)).ToHashSet();
                if (reduced.Any(a => a < 0 || a >= x.Count)) return null;
                return Flag(node, "keep_dims") ? x.Select((d, i) => reduced.Contains(i) ? 1 : d).ToList() : x.Where((_, i) => !reduced.Contains(i)).ToList();
            case "Reshape":
                if (Value(1) is not { } target) { why = $"Reshape '{node.Name}': its shape is not a constant"; return null; }
                return Reshape(x, target);
            case "Squeeze":
                if (x is null) return null;
                var dims = node.Attrs.GetValueOrDefault("squeeze_dims")?.Ints ?? [];
                if (dims.Count == 0) return x.All(d => d is not null) ? x.Where(d => d != 1).ToList() : null;
                var drop = dims.Select(d => (int)(d < 0 ? d + x.Count : d)).ToHashSet();
                return drop.All(d => d >= 0 && d < x.Count) ? x.Where((_, i) => !drop.Contains(i)).ToList() : null;
            case "Pad" or "PadV2" or "MirrorPad":
                if (x is null || Value(1) is not { } pads || pads.Length != 2 * x.Count) { why = $"{node.Op} '{node.Name}': its paddings are not a constant"; return null; }
                return x.Select((d, i) => d + pads[2 * i] + pads[2 * i + 1]).ToList();
            case "ConcatV2":
                var parts = inputs.Take(inputs.Count - 1).Select(i => scope.Shape(i)).ToList();
                if (Value(inputs.Count - 1) is not [var axis] || parts.Count == 0 || parts.Any(p => p is null || p.Count != parts[0]!.Count)) return null;
                int rank = parts[0]!.Count;
                if (axis < 0) axis += rank;
                if (axis < 0 || axis >= rank) return null;
                var joined = parts[0]!.ToList();
                joined[(int)axis] = parts.All(p => p![(int)axis] is not null) ? parts.Sum(p => p![(int)axis]!.Value) : null;
                return joined;
            case "ExpandDims":
                if (x is null || Value(1) is not [var at]) return null;
                if (at < 0) at += x.Count + 1;
                return at < 0 || at > x.Count ? null : [.. x.Take((int)at), 1, .. x.Skip((int)at)];
            default:
                return null;
        }
    }

    private static bool Flag(TfGraphDissector.TfNode node, string name) => node.Attrs.GetValueOrDefault(name)?.B ?? false;

    private static bool Nchw(TfGraphDissector.TfNode node) => node.Attrs.GetValueOrDefault("data_format")?.S == "NCHW";

    /// <summary>An attribute list per data_format, as (height, width).</summary>
    private static (long H, long W) Pair(TfGraphDissector.TfNode node, string name, long fallback)
    {
        var values = node.Attrs.GetValueOrDefault(name)?.Ints;
        if (values is not { Count: 4 }) return (fallback, fallback);
        return Nchw(node) ? (values[2], values[3]) : (values[1], values[2]);
    }

    private static long? Window(long? input, long kernel, long stride, long dilation, string padding)
    {
        if (input is not { } size || stride <= 0 || kernel <= 0 || dilation <= 0) return null;
        long extent = (kernel - 1) * dilation + 1;
        return padding switch
        {
            "SAME" => (size + stride - 1) / stride,
            "VALID" => size >= extent ? (size - extent + stride) / stride : 0,
            _ => null,
        };
    }

    private static List<long?>? Convolution(TfGraphDissector.TfNode node, List<long?>? x, List<long?>? filter)
    {
        if (x is not { Count: 4 } || filter is not { Count: 4 }) return null;
        bool nchw = Nchw(node);
        var (sh, sw) = Pair(node, "strides", 1);
        var (dh, dw) = Pair(node, "dilations", 1);
        string padding = node.Attrs.GetValueOrDefault("padding")?.S ?? "";
        long? oh = Window(nchw ? x[2] : x[1], filter[0] ?? 0, sh, dh, padding);
        long? ow = Window(nchw ? x[3] : x[2], filter[1] ?? 0, sw, dw, padding);
        long? channels = node.Op == "Conv2D" ? filter[3] : filter[2] * filter[3];
        return nchw ? [x[0], channels, oh, ow] : [x[0], oh, ow, channels];
    }

    private static List<long?>? Pool(TfGraphDissector.TfNode node, List<long?>? x)
    {
        if (x is not { Count: 4 }) return null;
        bool nchw = Nchw(node);
        var (kh, kw) = Pair(node, "ksize", 0);
        var (sh, sw) = Pair(node, "strides", 1);
        string padding = node.Attrs.GetValueOrDefault("padding")?.S ?? "";
        long? oh = Window(nchw ? x[2] : x[1], kh, sh, 1, padding), ow = Window(nchw ? x[3] : x[2], kw, sw, 1, padding);
        return nchw ? [x[0], x[1], oh, ow] : [x[0], oh, ow, x[3]];
    }

    private static List<long?>? Broadcast(List<long?>? a, List<long?>? b)
    {
        if (a is null || b is null) return null;
        int rank = Math.Max(a.Count, b.Count);
        var result = new List<long?>(rank);
        for (int i = 0; i < rank; i++)
        {
            long? l = i - (rank - a.Count) is var j && j >= 0 ? a[j] : 1;
            long? r = i - (rank - b.Count) is var k && k >= 0 ? b[k] : 1;
            result.Add(l == 1 ? r : r == 1 ? l : l == r ? l : l is null ? r : r is null ? l : null);
        }
        return result;
    }

    private static List<long?>? Reshape(List<long?>? x, long[] target)
    {
        var output = target.Select(t => t >= 0 ? (long?)t : null).ToList();
        int infer = Array.IndexOf(target, -1L);
        if (target.Count(t => t == -1) > 1 || target.Any(t => t < -1)) return null;
        if (infer < 0) return output;
        long rest = target.Where(t => t >= 0).Aggregate(1L, (p, t) => p * t);
        if (x is not null && x.All(d => d is not null) && rest > 0)
        {
            long total = x.Aggregate(1L, (p, d) => p * d!.Value);
            if (total % rest == 0) output[infer] = total / rest;
        }
        return output;
    }

    /// <summary>Conv2D N·OH·OW·OC·KH·KW·IC; depthwise N·OH·OW·(IC·M)·KH·KW; MatMul M·N·K. An unknown batch counts as 1.</summary>
    private static void Macs(TfGraphDissector.TfNode node, List<string> inputs, List<long?>? output, Scope scope, ModelFacts facts)
    {
        if (node.Op is not ("Conv2D" or "DepthwiseConv2dNative" or "MatMul")) return;
        var first = inputs.Count > 0 ? scope.Shape(inputs[0]) : null;
        var second = inputs.Count > 1 ? scope.Shape(inputs[1]) : null;
        if (first is null || second is null || output is null)
        {
            string missing = first is null ? inputs.ElementAtOrDefault(0) ?? "" : second is null ? inputs.ElementAtOrDefault(1) ?? "" : node.Name;
            facts.UnknownMacs(node.Name, node.Op, output is null && first is not null && second is not null
                ? $"{node.Op} '{node.Name}': its attributes and input shapes do not give an output shape" : scope.Reason(missing));
            return;
        }
        long?[] factors;
        if (node.Op == "MatMul")
        {
            bool transposeA = Flag(node, "transpose_a");
            factors = [output[0] ?? 1, output[1], transposeA ? first[0] : first[1]];
        }
        else
        {
            if (output.Count != 4 || second.Count != 4) { facts.UnknownMacs(node.Name, node.Op, "input or filter is not 4-D"); return; }
            bool nchw = Nchw(node);
            factors = [output[0] ?? 1, nchw ? output[2] : output[1], nchw ? output[3] : output[2], nchw ? output[1] : output[3],
                second[0], second[1], node.Op == "Conv2D" ? second[2] : 1];
        }
        long product = 1;
        for (int i = 0; i < factors.Length; i++)
        {
            if (factors[i] is not { } f || f < 0)
            {
                facts.UnknownMacs(node.Name, node.Op, $"{node.Op} '{node.Name}': a needed dimension is unknown");
                return;
            }
            if (f != 0 && product > long.MaxValue / f)
            {
                facts.UnknownMacs(node.Name, node.Op, "MACs overflow 64 bits");
                return;
            }
            product *= f;
        }
        facts.AddMacs(product);
    }
}
