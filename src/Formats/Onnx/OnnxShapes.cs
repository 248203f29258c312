// Spec: ONNX operator shape-inference rules (onnx/defs/*/defs.cc, onnx.shape_inference.infer_shapes without data
// propagation), for the ops that lead to Conv / ConvTranspose / Gemm / MatMul in common models.
namespace GaugeNN.Formats.Onnx;

/// <summary>
/// Propagates tensor shapes through a graph in node order, the way onnx.shape_inference.infer_shapes does for the
/// supported ops; any other op leaves its outputs without a shape, so a MAC that depends on it is counted unknown
/// rather than guessed. Constant integer tensors (initializers, Constant nodes) are tracked for Reshape, Slice,
/// Squeeze, Unsqueeze and Pad operands.
/// </summary>
internal sealed class OnnxShapes
{
    private readonly Dictionary<string, Dim[]> _shapes;
    private readonly Dictionary<string, long[]> _constants;
    private readonly long _opset;

    public OnnxShapes(long opset) : this(opset, new(StringComparer.Ordinal), new(StringComparer.Ordinal))
    {
    }

    private OnnxShapes(long opset, Dictionary<string, Dim[]> shapes, Dictionary<string, long[]> constants)
    {
        _opset = opset;
        _shapes = shapes;
        _constants = constants;
    }

    /// <summary>A scope for a nested graph: sees the outer names, and its own names do not leak out.</summary>
    public OnnxShapes Nested() => new(_opset, new(_shapes, StringComparer.Ordinal), new(_constants, StringComparer.Ordinal));

    public Dim[]? Shape(string name) => name.Length > 0 && _shapes.TryGetValue(name, out var shape) ? shape : null;

    public void Declare(OnnxGraph graph)
    {
        foreach (var tensor in graph.Initializers)
        {
            _shapes[tensor.Name] = tensor.Dims.Select(Dim.Of).ToArray();
            if (tensor.IntValues is { } values) _constants[tensor.Name] = values;
        }
        foreach (var info in graph.Inputs.Concat(graph.ValueInfo))
            if (info.Shape is { } shape) _shapes[info.Name] = shape;
    }

    public void Infer(OnnxNode node)
    {
        if (!node.IsDefaultDomain || node.Outputs.Count == 0) return;
        if (node.OpType == "Split")
        {
            InferSplit(node);
            return;
        }
        var output = InferFirstOutput(node);
        if (output is not null && node.Outputs[0].Length > 0) _shapes[node.Outputs[0]] = output;
        if (node.OpType == "Constant" && node.Attribute("value")?.T?.IntValues is { } values) _constants[node.Outputs[0]] = values;
    }

    private Dim[]? Input(OnnxNode node, int i) => i < node.Inputs.Count ? Shape(node.Inputs[i]) : null;

    private long[]? Constant(OnnxNode node, int i) =>
        i < node.Inputs.Count && _constants.TryGetValue(node.Inputs[i], out var values) ? values : null;

    private Dim[]? InferFirstOutput(OnnxNode node)
    {
        var x = Input(node, 0);
        switch (node.OpType)
        {
            case "Relu" or "LeakyRelu" or "PRelu" or "Clip" or "HardSigmoid" or "HardSwish" or "Sigmoid" or "Tanh" or "Elu"
                or "Selu" or "Softplus" or "Softsign" or "Cast" or "Identity" or "Dropout" or "BatchNormalization"
                or "InstanceNormalization" or "LRN" or "Softmax" or "LogSoftmax" or "Sqrt" or "Exp" or "Log" or "Neg"
                or "Abs" or "Erf" or "Not" or "Floor" or "Ceil" or "Round" or "Reciprocal" or "Sign" or "Sin" or "Cos"
                or "QuantizeLinear" or "DequantizeLinear" or "LayerNormalization" or "Gelu" or "Mish" or "ThresholdedRelu":
                return node.OpType == "PRelu" ? Broadcast(node) : x;
            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Max" or "Min" or "Sum" or "Mean" or "Equal" or "Less"
                or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "And" or "Or" or "Xor" or "Where" or "Mod":
                return Broadcast(node);
            case "Constant":
                var value = node.Attribute("value");
                if (value?.T is { } tensor) return tensor.Dims.Select(Dim.Of).ToArray();
                if (value is null && (node.Attribute("value_float") ?? node.Attribute("value_int")) is not null) return [];
                if ((node.Attribute("value_floats") ?? node.Attribute("value_ints")) is { } list)
                    return [Dim.Of(Math.Max(list.FloatCount, list.Ints.Count))];
                return null;
            case "Conv" or "MaxPool" or "AveragePool" or "LpPool":
                return ConvLike(node, x);
            case "ConvTranspose":
                return ConvTranspose(node, x);
            case "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool":
                return x is { Length: >= 2 } ? [x[0], x[1], .. Enumerable.Repeat(Dim.Of(1), x.Length - 2)] : null;
            case "Flatten":
                return Flatten(node, x);
            case "Reshape":
                return Reshape(node, x);
            case "Transpose":
                if (x is null) return null;
                var perm = node.Ints("perm") ?? Enumerable.Range(0, x.Length).Reverse().Select(i => (long)i).ToList();
                return perm.Count == x.Length && perm.All(p => p >= 0 && p < x.Length) ? perm.Select(p => x[p]).ToArray() : null;
            case "Squeeze":
                return Squeeze(node, x);
            case "Unsqueeze":
                return Unsqueeze(node, x);
            case "Concat":
                return Concat(node);
            case "Gemm":
                return Gemm(node, x, Input(node, 1));
            case "MatMul":
                return MatMul(x, Input(node, 1));
            case "Shape":
                return x is null || node.Attribute("start") is not null || node.Attribute("end") is not null ? null : [Dim.Of(x.Length)];
            case "Size":
                return [];
            case "Slice":
                return Slice(node, x);
            case "Pad":
                return Pad(node, x);
            case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL1" or "ReduceL2"
                or "ReduceLogSum" or "ReduceLogSumExp" or "ReduceSumSquare":
                return Reduce(node, x);
            case "Resize" or "Upsample":
                if (x is null) return null;
                return node.OpType == "Resize" && Constant(node, 3) is { } sizes && sizes.Length == x.Length
                    ? sizes.Select(Dim.Of).ToArray()
                    : Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
            case "Gather":
                var indices = Input(node, 1);
                if (x is null || indices is null) return null;
                long axis = Axis(node.Int("axis", 0), x.Length);
                return axis < 0 ? null : [.. x[..(int)axis], .. indices, .. x[((int)axis + 1)..]];
            default:
                return null;
        }
    }

    private Dim[]? Pad(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        bool axesGiven = node.Inputs.Count > 3 && node.Inputs[3].Length > 0;
        var pads = _opset >= 11 ? (axesGiven ? null : Constant(node, 1)) : node.Ints("pads")?.ToArray();
        if (pads is null || pads.Length != 2 * x.Length) return Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
        var output = new Dim[x.Length];
        for (int i = 0; i < x.Length; i++)
            output[i] = x[i].Value is { } size ? Dim.Of(size + pads[i] + pads[i + x.Length]) : Dim.Unknown;
        return output;
    }

    /// <summary>Reductions: axes from the attribute (or, from opset 18 and for ReduceSum from 13, the second input).</summary>
    private Dim[]? Reduce(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        bool keepDims = node.Int("keepdims", 1) == 1;
        bool axesAsInput = _opset >= 18 || (node.OpType == "ReduceSum" && _opset >= 13);
        bool hasAxesInput = node.Inputs.Count > 1 && node.Inputs[1].Length > 0;
        long[]? axes = axesAsInput ? (hasAxesInput ? Constant(node, 1) : []) : node.Ints("axes")?.ToArray() ?? [];
        if (axes is null) return keepDims ? Enumerable.Repeat(Dim.Unknown, x.Length).ToArray() : null;
        var reduced = axes.Length == 0 && node.Int("noop_with_empty_axes", 0) == 0
            ? Enumerable.Range(0, x.Length).ToHashSet()
            : axes.Select(a => (int)(a < 0 ? a + x.Length : a)).ToHashSet();
        if (reduced.Any(a => a < 0 || a >= x.Length)) return null;
        return keepDims
            ? x.Select((d, i) => reduced.Contains(i) ? Dim.Of(1) : d).ToArray()
            : x.Where((_, i) => !reduced.Contains(i)).ToArray();
    }

    /// <summary>Split: sizes from the attribute (before opset 13) or second input, else equal parts.</summary>
    private void InferSplit(OnnxNode node)
    {
        var x = Input(node, 0);
        if (x is null) return;
        long axis = Axis(node.Int("axis", 0), x.Length);
        if (axis < 0) return;
        var sizes = _opset >= 13 ? (node.Inputs.Count > 1 && node.Inputs[1].Length > 0 ? Constant(node, 1) : null)
            : node.Ints("split")?.ToArray();
        int parts = node.Outputs.Count;
        if (sizes is null && x[axis].Value is { } total && total % parts == 0) sizes = Enumerable.Repeat(total / parts, parts).ToArray();
        for (int i = 0; i < parts; i++)
        {
            if (node.Outputs[i].Length == 0) continue;
            var output = (Dim[])x.Clone();
            output[axis] = sizes is { } known && known.Length == parts ? Dim.Of(known[i]) : Dim.Unknown;
            _shapes[node.Outputs[i]] = output;
        }
    }

    private static long Axis(long axis, int rank) => axis < 0 ? axis + rank : axis < rank ? axis : -1;

    private Dim[]? Broadcast(OnnxNode node)
    {
        var shapes = new List<Dim[]>();
        foreach (string name in node.Inputs)
        {
            if (Shape(name) is not { } shape) return null;
            shapes.Add(shape);
        }
        if (shapes.Count == 0) return null;
        int rank = shapes.Max(s => s.Length);
        var result = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            long? known = null;
            int ones = 0, symbolic = 0, present = 0;
            Dim symbol = Dim.Unknown;
            bool sameSymbol = true;
            foreach (var shape in shapes)
            {
                int j = i - (rank - shape.Length);
                if (j < 0) continue;
                present++;
                var d = shape[j];
                if (d.Value is 1) ones++;
                else if (d.Value is { } v) known = v;
                else
                {
                    if (symbolic > 0 && (symbol.Param is null || symbol.Param != d.Param)) sameSymbol = false;
                    symbolic++;
                    symbol = d;
                }
            }
            result[i] = known is { } k ? Dim.Of(k)
                : symbolic == 1 ? symbol
                : symbolic == 0 && ones == present ? Dim.Of(1)
                : sameSymbol && symbol.Param is not null ? symbol
                : Dim.Unknown;
        }
        return result;
    }

    private Dim[]? ConvLike(OnnxNode node, Dim[]? x)
    {
        bool conv = node.OpType == "Conv";
        var w = conv ? Input(node, 1) : null;
        if (x is not { Length: >= 3 } || (conv && w is not { Length: >= 3 })) return null;
        int spatial = x.Length - 2;
        var kernel = node.Ints("kernel_shape") ?? (w is not null ? w[2..].Select(d => d.Value ?? -1).ToList() : null);
        if (kernel is null || kernel.Count != spatial) return null;
        var strides = node.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToList();
        var dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToList();
        var pads = node.Ints("pads") ?? Enumerable.Repeat(0L, 2 * spatial).ToList();
        string autoPad = node.String("auto_pad") ?? "NOTSET";
        bool ceil = node.Int("ceil_mode", 0) == 1;
        if (strides.Count != spatial || dilations.Count != spatial || pads.Count != 2 * spatial) return null;
        var output = new Dim[x.Length];
        output[0] = x[0];
        output[1] = conv ? w![0] : x[1];
        for (int i = 0; i < spatial; i++)
        {
            var input = x[i + 2];
            long k = kernel[i], s = strides[i], dilation = dilations[i];
            if (input.Value is not { } size || k <= 0 || s <= 0 || dilation <= 0)
            {
                output[i + 2] = Dim.Unknown;
                continue;
            }
            long effective = dilation * (k - 1) + 1;
            output[i + 2] = autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => Dim.Of((size + s - 1) / s),
                "VALID" => Dim.Of((size - effective) / s + 1),
                _ => Dim.Of(Divide(size + pads[i] + pads[i + spatial] - effective, s, ceil) + 1),
            };
        }
        return output;
    }

    private static long Divide(long a, long b, bool ceil) => ceil ? (long)Math.Ceiling((double)a / b) : (long)Math.Floor((double)a / b);

    private Dim[]? ConvTranspose(OnnxNode node, Dim[]? x)
    {
        var w = Input(node, 1);
        if (x is not { Length: >= 3 } || w is not { Length: >= 3 }) return null;
        int spatial = x.Length - 2;
        long group = node.Int("group", 1);
        var output = new Dim[x.Length];
        output[0] = x[0];
        output[1] = w[1].Value is { } perGroup ? Dim.Of(perGroup * group) : Dim.Unknown;
        var explicitShape = node.Ints("output_shape");
        var kernel = node.Ints("kernel_shape") ?? w[2..].Select(d => d.Value ?? -1).ToList();
        var strides = node.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToList();
        var dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToList();
        var pads = node.Ints("pads") ?? Enumerable.Repeat(0L, 2 * spatial).ToList();
        var outputPadding = node.Ints("output_padding") ?? Enumerable.Repeat(0L, spatial).ToList();
        string autoPad = node.String("auto_pad") ?? "NOTSET";
        if (kernel.Count != spatial || strides.Count != spatial || dilations.Count != spatial || pads.Count != 2 * spatial
            || outputPadding.Count != spatial)
            return null;
        for (int i = 0; i < spatial; i++)
        {
            if (explicitShape is { } given && given.Count == spatial) output[i + 2] = Dim.Of(given[i]);
            else if (x[i + 2].Value is not { } size || kernel[i] < 0) output[i + 2] = Dim.Unknown;
            else if (autoPad is "SAME_UPPER" or "SAME_LOWER") output[i + 2] = Dim.Of(size * strides[i]);
            else output[i + 2] = Dim.Of(strides[i] * (size - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1
                                        - pads[i] - pads[i + spatial]);
        }
        return output;
    }

    private static Dim[]? Flatten(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long axis = node.Int("axis", 1);
        if (axis < 0) axis += x.Length;
        if (axis < 0 || axis > x.Length) return null;
        return [ProductDim(x[..(int)axis]), ProductDim(x[(int)axis..])];
    }

    private static Dim ProductDim(IEnumerable<Dim> dims)
    {
        long product = 1;
        foreach (var d in dims)
        {
            if (d.Value is not { } v) return Dim.Unknown;
            product *= v;
        }
        return Dim.Of(product);
    }

    private Dim[]? Reshape(OnnxNode node, Dim[]? x)
    {
        var target = _opset >= 5 ? Constant(node, 1) : node.Ints("shape")?.ToArray();
        if (target is null)
            return Input(node, 1) is [{ Value: { } rank }] && rank is >= 0 and <= 64 ? Enumerable.Repeat(Dim.Unknown, (int)rank).ToArray() : null;
        bool allowZero = node.Int("allowzero", 0) == 1;
        var output = new Dim[target.Length];
        int inferred = -1;
        for (int i = 0; i < target.Length; i++)
        {
            long t = target[i];
            if (t == 0 && !allowZero) output[i] = x is not null && i < x.Length ? x[i] : Dim.Unknown;
            else if (t == -1)
            {
                if (inferred >= 0) return null;
                inferred = i;
            }
            else if (t < 0) return null;
            else output[i] = Dim.Of(t);
        }
        if (inferred >= 0)
        {
            var total = x is null ? Dim.Unknown : ProductDim(x);
            var rest = ProductDim(output.Where((_, i) => i != inferred));
            output[inferred] = total.Value is { } all && rest.Value is > 0 and var part ? Dim.Of(all / part) : Dim.Unknown;
        }
        return output;
    }

    private Dim[]? Squeeze(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        var axes = _opset >= 13 ? Constant(node, 1) : node.Ints("axes")?.ToArray();
        if (axes is null)
            return x.All(d => d.Known) ? x.Where(d => d.Value != 1).ToArray() : null;
        var normalized = axes.Select(a => a < 0 ? a + x.Length : a).ToHashSet();
        return normalized.All(a => a >= 0 && a < x.Length) ? x.Where((_, i) => !normalized.Contains(i)).ToArray() : null;
    }

    private Dim[]? Unsqueeze(OnnxNode node, Dim[]? x)
    {
        var axes = _opset >= 13 ? Constant(node, 1) : node.Ints("axes")?.ToArray();
        if (x is null || axes is null) return null;
        int rank = x.Length + axes.Length;
        var normalized = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        if (normalized.Count != axes.Length || normalized.Any(a => a < 0 || a >= rank)) return null;
        var output = new Dim[rank];
        for (int i = 0, j = 0; i < rank; i++) output[i] = normalized.Contains(i) ? Dim.Of(1) : x[j++];
        return output;
    }

    private Dim[]? Concat(OnnxNode node)
    {
        var shapes = node.Inputs.Select(Shape).ToList();
        if (shapes.Count == 0 || shapes.Any(s => s is null)) return null;
        int rank = shapes[0]!.Length;
        if (shapes.Any(s => s!.Length != rank)) return null;
        long axis = Axis(node.Int("axis", 0), rank);
        if (axis < 0) return null;
        var output = (Dim[])shapes[0]!.Clone();
        output[axis] = ProductSum(shapes.Select(s => s![axis]));
        for (int i = 0; i < rank; i++)
        {
            if (i == axis) continue;
            foreach (var s in shapes)
                if (!output[i].Known && s![i].Known) output[i] = s[i];
        }
        return output;
    }

    private static Dim ProductSum(IEnumerable<Dim> dims)
    {
        long sum = 0;
        foreach (var d in dims)
        {
            if (d.Value is not { } v) return Dim.Unknown;
            sum += v;
        }
        return Dim.Of(sum);
    }

    private static Dim[]? Gemm(OnnxNode node, Dim[]? a, Dim[]? b)
    {
        if (a is not { Length: 2 } || b is not { Length: 2 }) return null;
        var m = node.Int("transA", 0) == 1 ? a[1] : a[0];
        var n = node.Int("transB", 0) == 1 ? b[0] : b[1];
        return [m, n];
    }

    private static Dim[]? MatMul(Dim[]? a, Dim[]? b)
    {
        if (a is null || b is null || a.Length == 0 || b.Length == 0) return null;
        var left = a.Length == 1 ? [Dim.Of(1), a[0]] : a;
        var right = b.Length == 1 ? [b[0], Dim.Of(1)] : b;
        int batchRank = Math.Max(left.Length, right.Length) - 2;
        var batch = new List<Dim>();
        for (int i = 0; i < batchRank; i++)
        {
            var l = Aligned(left, i, batchRank);
            var r = Aligned(right, i, batchRank);
            batch.Add(l.Value is 1 ? r : r.Value is 1 ? l : l.Known ? l : r.Known ? r : l.Param is not null && l.Param == r.Param ? l : Dim.Unknown);
        }
        if (a.Length > 1) batch.Add(left[^2]);
        if (b.Length > 1) batch.Add(right[^1]);
        return batch.ToArray();
    }

    private static Dim Aligned(Dim[] shape, int i, int batchRank)
    {
        int j = i - (batchRank - (shape.Length - 2));
        return j < 0 ? Dim.Of(1) : shape[j];
    }

    private Dim[]? Slice(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long[]? starts, ends, axes, steps;
        if (_opset >= 10)
        {
            starts = Constant(node, 1);
            ends = Constant(node, 2);
            axes = node.Inputs.Count > 3 && node.Inputs[3].Length > 0 ? Constant(node, 3) : Enumerable.Range(0, starts?.Length ?? 0).Select(i => (long)i).ToArray();
            steps = node.Inputs.Count > 4 && node.Inputs[4].Length > 0 ? Constant(node, 4) : Enumerable.Repeat(1L, starts?.Length ?? 0).ToArray();
        }
        else
        {
            starts = node.Ints("starts")?.ToArray();
            ends = node.Ints("ends")?.ToArray();
            axes = node.Ints("axes")?.ToArray() ?? Enumerable.Range(0, starts?.Length ?? 0).Select(i => (long)i).ToArray();
            steps = Enumerable.Repeat(1L, starts?.Length ?? 0).ToArray();
        }
        if (starts is null || ends is null || axes is null || steps is null) return Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length) return null;
        var output = (Dim[])x.Clone();
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = Axis(axes[i], x.Length);
            if (axis < 0 || steps[i] == 0) return null;
            if (x[axis].Value is not { } size) { output[axis] = Dim.Unknown; continue; }
            long step = steps[i];
            long start = Clamp(starts[i], size, step > 0 ? 0 : -1, step > 0 ? size : size - 1);
            long end = Clamp(ends[i], size, step > 0 ? 0 : -1, step > 0 ? size : size - 1);
            long length = step > 0 ? (end - start + step - 1) / step : (start - end + (-step) - 1) / -step;
            output[axis] = Dim.Of(Math.Max(0, length));
        }
        return output;
    }

    private static long Clamp(long value, long size, long low, long high)
    {
        if (value < 0) value += size;
        return Math.Clamp(value, low, high);
    }
}
