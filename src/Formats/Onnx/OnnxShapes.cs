// Spec: ONNX operator shape-inference rules (onnx/defs/*/defs.cc, onnx.shape_inference.infer_shapes of onnx 1.12
// without data propagation), for the ops that lead to Conv / ConvTranspose / Gemm / MatMul in exported models.
namespace GaugeNN.Formats.Onnx;

/// <summary>
/// Propagates tensor shapes through a graph in node order, the way onnx.shape_inference.infer_shapes does for the
/// supported ops. A tensor whose shape cannot be inferred (unknown op, run-time values, arithmetic that overflows)
/// has no shape and keeps the reason, so a MAC that depends on it is counted unknown with that reason instead of
/// guessed, and nothing else about the model is lost. Constant integer tensors (initializers, Constant nodes) are
/// tracked for the operands that shape rules read (Reshape, Slice, Squeeze, Unsqueeze, Pad, Expand, Range, …).
/// </summary>
internal sealed class OnnxShapes
{
    private const int MaxRank = 64;
    private readonly Dictionary<string, Dim[]> _shapes;
    private readonly Dictionary<string, long[]> _constants;
    private readonly Dictionary<string, float[]> _floats;
    private readonly Dictionary<string, string> _why;
    private readonly Dictionary<string, Dim[]> _declared;
    private readonly long _opset;

    public OnnxShapes(long opset) : this(opset, new(StringComparer.Ordinal), new(StringComparer.Ordinal),
        new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal))
    {
    }

    private OnnxShapes(long opset, Dictionary<string, Dim[]> shapes, Dictionary<string, long[]> constants,
        Dictionary<string, float[]> floats, Dictionary<string, string> why, Dictionary<string, Dim[]> declared)
    {
        _opset = opset;
        _shapes = shapes;
        _constants = constants;
        _floats = floats;
        _why = why;
        _declared = declared;
    }

    /// <summary>A scope for a nested graph: sees the outer names, and its own names do not leak out.</summary>
    public OnnxShapes Nested() => new(_opset, new(_shapes, StringComparer.Ordinal), new(_constants, StringComparer.Ordinal),
        new(_floats, StringComparer.Ordinal), new(_why, StringComparer.Ordinal), new(StringComparer.Ordinal));

    public Dim[]? Shape(string name) => name.Length > 0 && _shapes.TryGetValue(name, out var shape) ? shape : null;

    /// <summary>Why <paramref name="name"/> has no shape (the first cause upstream).</summary>
    public string Why(string name) => _why.TryGetValue(name, out string? why) ? why
        : name.Length == 0 ? "an optional input is absent"
        : $"no shape is declared or inferred for '{name}'";

    /// <summary>Initializers, graph inputs and declared value infos (the latter merged with what is inferred later).</summary>
    public void Declare(OnnxGraph graph)
    {
        var initialized = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializers)
        {
            initialized.Add(tensor.Name);
            Set(tensor.Name, tensor.Dims.Select(Dim.Of).ToArray());
            Remember(tensor.Name, tensor);
        }
        foreach (var input in graph.Inputs)
        {
            if (input.Shape is { } shape) Set(input.Name, Sane(shape));
            else if (!initialized.Contains(input.Name)) Forget(input.Name, $"graph input '{input.Name}' declares no shape");
        }
        foreach (var info in graph.ValueInfo.Concat(graph.Outputs))
            if (info.Shape is { } shape) _declared[info.Name] = Sane(shape);
    }

    /// <summary>A declared dim_value below zero (some exporters write -1) means unknown.</summary>
    private static Dim[] Sane(Dim[] shape) => shape.Select(d => d.Value < 0 ? Dim.Unknown : d).ToArray();

    public void Infer(OnnxNode node)
    {
        if (node.Outputs.Count == 0) return;
        if (!node.IsDefaultDomain)
        {
            SetOutputs(node, null, $"'{node.Key}' is not an ai.onnx op, so no shape rule applies");
            return;
        }
        Dim[]?[]? outputs;
        try
        {
            outputs = InferOutputs(node);
        }
        catch (OverflowException)
        {
            SetOutputs(node, null, $"{node.OpType}: shape arithmetic overflows");
            return;
        }
        SetOutputs(node, outputs, null);
        if (node.OpType == "Constant" && node.Attribute("value")?.T is { } tensor) Remember(node.Outputs[0], tensor);
    }

    private void Remember(string name, OnnxTensor tensor)
    {
        if (tensor.IntValues is { } ints) _constants[name] = ints;
        else _constants.Remove(name);
        if (tensor.FloatValues is { } floats) _floats[name] = floats;
        else _floats.Remove(name);
    }

    /// <summary>Sets each output (merged with its declared shape) or forgets it with the reason.</summary>
    private void SetOutputs(OnnxNode node, Dim[]?[]? outputs, string? reason)
    {
        for (int i = 0; i < node.Outputs.Count; i++)
        {
            string name = node.Outputs[i];
            if (name.Length == 0) continue;
            _constants.Remove(name);
            _floats.Remove(name);
            var inferred = outputs is not null && i < outputs.Length ? outputs[i] : null;
            if (inferred is not null && inferred.Length <= MaxRank) Set(name, inferred);
            else Forget(name, reason ?? Explain(node, i));
        }
    }

    private void Set(string name, Dim[] shape)
    {
        _shapes[name] = _declared.TryGetValue(name, out var declared) ? Merge(shape, declared) : shape;
        _why.Remove(name);
    }

    private void Forget(string name, string reason)
    {
        if (_declared.TryGetValue(name, out var declared))
        {
            _shapes[name] = declared;
            return;
        }
        _shapes.Remove(name);
        _why[name] = reason;
    }

    /// <summary>
    /// onnx's mergeInShapeInfo: an inferred value wins, then a declared value, then the declared symbol, then the
    /// inferred symbol.
    /// </summary>
    private static Dim[] Merge(Dim[] inferred, Dim[] declared)
    {
        if (inferred.Length != declared.Length) return inferred;
        var merged = new Dim[inferred.Length];
        for (int i = 0; i < merged.Length; i++)
            merged[i] = inferred[i].Known ? inferred[i] : declared[i].Known || declared[i].Param is not null ? declared[i] : inferred[i];
        return merged;
    }

    /// <summary>Why output <paramref name="index"/> of a default-domain node got no shape.</summary>
    private string Explain(OnnxNode node, int index)
    {
        foreach (string input in node.Inputs)
            if (input.Length > 0 && Shape(input) is null) return Why(input);
        if (!ShapeRules.Contains(node.OpType)) return $"no shape rule for {node.OpType} here";
        for (int i = 1; i < node.Inputs.Count; i++)
            if (node.Inputs[i].Length > 0 && !_constants.ContainsKey(node.Inputs[i]) && ValueOperands.Contains(node.OpType))
                return $"{node.OpType}: its output shape depends on the run-time values of '{node.Inputs[i]}'";
        return index > 0
            ? $"{node.OpType}: output {index} has no shape rule here"
            : $"{node.OpType}: its attributes and input shapes do not determine an output shape";
    }

    private static readonly HashSet<string> ValueOperands =
    [
        "Reshape", "Slice", "Squeeze", "Unsqueeze", "Pad", "Expand", "Range", "ConstantOfShape", "Tile", "Resize",
        "Upsample", "Split", "TopK", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
        "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    ];

    private static readonly HashSet<string> SameShape =
    [
        "Relu", "LeakyRelu", "Clip", "HardSigmoid", "HardSwish", "Sigmoid", "Tanh", "Elu", "Selu", "Celu", "Softplus",
        "Softsign", "Cast", "CastLike", "Identity", "Dropout", "BatchNormalization", "InstanceNormalization", "LRN",
        "Softmax", "LogSoftmax", "Hardmax", "Sqrt", "Exp", "Log", "Neg", "Abs", "Erf", "Not", "Floor", "Ceil", "Round",
        "Reciprocal", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
        "IsNaN", "IsInf", "QuantizeLinear", "DequantizeLinear", "LayerNormalization", "Gelu", "Mish", "ThresholdedRelu",
        "Shrink", "CumSum", "Trilu", "EyeLike", "MeanVarianceNormalization", "LpNormalization", "RandomNormalLike",
        "RandomUniformLike", "Bernoulli", "ScatterND", "ScatterElements", "Scatter",
    ];

    private static readonly HashSet<string> Broadcasting =
    [
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Equal", "Less", "Greater", "LessOrEqual",
        "GreaterOrEqual", "And", "Or", "Xor", "Where", "Mod", "PRelu", "BitShift",
    ];

    private static readonly HashSet<string> ShapeRules =
    [
        .. SameShape, .. Broadcasting, "Constant", "Conv", "ConvInteger", "QLinearConv", "MaxPool", "AveragePool",
        "LpPool", "ConvTranspose", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "Flatten", "Reshape",
        "Transpose", "Squeeze", "Unsqueeze", "Concat", "Gemm", "MatMul", "MatMulInteger", "QLinearMatMul", "Shape",
        "Size", "Slice", "Pad", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
        "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin", "Resize", "Upsample",
        "Gather", "GatherElements", "Split", "Expand", "Range", "ConstantOfShape", "Tile", "DepthToSpace",
        "SpaceToDepth", "NonZero", "TopK", "DynamicQuantizeLinear",
    ];

    private Dim[]? Input(OnnxNode node, int i) => i < node.Inputs.Count ? Shape(node.Inputs[i]) : null;

    private long[]? Constant(OnnxNode node, int i) =>
        i < node.Inputs.Count && _constants.TryGetValue(node.Inputs[i], out var values) ? values : null;

    private bool Given(OnnxNode node, int i) => i < node.Inputs.Count && node.Inputs[i].Length > 0;

    private Dim[]?[]? InferOutputs(OnnxNode node)
    {
        var x = Input(node, 0);
        switch (node.OpType)
        {
            case "Split":
                return Split(node, x);
            case "TopK":
                return TopK(node, x);
            case "Dropout" or "MaxPool":
                var first = node.OpType == "Dropout" ? x : ConvLike(node, x, null);
                return [first, first];
            case "DynamicQuantizeLinear":
                return [x, [], []];
            default:
                return [InferFirstOutput(node, x)];
        }
    }

    private Dim[]? InferFirstOutput(OnnxNode node, Dim[]? x)
    {
        string op = node.OpType;
        if (SameShape.Contains(op)) return x;
        if (Broadcasting.Contains(op)) return Broadcast(node.Inputs.Select(Shape).ToList());
        switch (op)
        {
            case "Constant":
                return ConstantShape(node);
            case "Conv" or "AveragePool" or "LpPool":
                return ConvLike(node, x, op == "Conv" ? Input(node, 1) : null);
            case "ConvInteger":
                return ConvLike(node, x, Input(node, 1));
            case "QLinearConv":
                return ConvLike(node, x, Input(node, 3));
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
            case "MatMul" or "MatMulInteger":
                return MatMul(x, Input(node, 1));
            case "QLinearMatMul":
                return MatMul(x, Input(node, 3));
            case "Shape":
                return ShapeOf(node, x);
            case "Size":
                return [];
            case "Slice":
                return Slice(node, x);
            case "Pad":
                return Pad(node, x);
            case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL1" or "ReduceL2"
                or "ReduceLogSum" or "ReduceLogSumExp" or "ReduceSumSquare":
                return Reduce(node, x);
            case "ArgMax" or "ArgMin":
                return ArgReduce(node, x);
            case "Resize" or "Upsample":
                return Resize(node, x);
            case "Gather":
                var indices = Input(node, 1);
                if (x is null || indices is null) return null;
                long axis = Axis(node.Int("axis", 0), x.Length);
                return axis < 0 ? null : [.. x[..(int)axis], .. indices, .. x[((int)axis + 1)..]];
            case "GatherElements":
                return Input(node, 1);
            case "Expand":
                return Constant(node, 1) is { } target && x is not null ? Broadcast([x, target.Select(Dim.Of).ToArray()]) : null;
            case "Range":
                return Range(node);
            case "ConstantOfShape":
                if (Constant(node, 0) is { } dims) return dims.All(d => d >= 0) ? dims.Select(Dim.Of).ToArray() : null;
                return x is [{ Value: { } rank }] && rank is >= 0 and <= MaxRank ? Enumerable.Repeat(Dim.Unknown, (int)rank).ToArray() : null;
            case "Tile":
                if (x is null || Constant(node, 1) is not { } repeats || repeats.Length != x.Length) return null;
                return x.Select((d, i) => d.Value is { } v && repeats[i] >= 0 ? Dim.Of(v * repeats[i]) : Dim.Unknown).ToArray();
            case "DepthToSpace" or "SpaceToDepth":
                return DepthSpace(node, x);
            case "NonZero":
                return x is null ? null : [Dim.Of(x.Length), Dim.Unknown];
            default:
                return null;
        }
    }

    private static Dim[]? ConstantShape(OnnxNode node)
    {
        var value = node.Attribute("value");
        if (value?.T is { } tensor) return tensor.Dims.Select(Dim.Of).ToArray();
        if (value is null && (node.Attribute("value_float") ?? node.Attribute("value_int")) is not null) return [];
        if ((node.Attribute("value_floats") ?? node.Attribute("value_ints")) is { } list)
            return [Dim.Of(Math.Max(list.FloatCount, list.Ints.Count))];
        return null;
    }

    /// <summary>Shape (opset 15 adds start/end, clamped to the rank like Slice).</summary>
    private static Dim[]? ShapeOf(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long rank = x.Length;
        long start = node.Int("start", 0), end = node.Int("end", rank);
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        return [Dim.Of(Math.Max(0, end - start))];
    }

    /// <summary>Pad: pads from the attribute (before opset 11) or a constant input; opset 18's axes input selects axes.</summary>
    private Dim[]? Pad(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        var pads = _opset >= 11 ? Constant(node, 1) : node.Ints("pads")?.ToArray();
        long[]? axes = Given(node, 3) ? Constant(node, 3) : Enumerable.Range(0, x.Length).Select(i => (long)i).ToArray();
        if (pads is null || axes is null || pads.Length != 2 * axes.Length) return Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
        var output = (Dim[])x.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            long axis = Axis(axes[i], x.Length);
            if (axis < 0) return null;
            output[axis] = x[axis].Value is { } size ? Dim.Of(size + pads[i] + pads[i + axes.Length]) : Dim.Unknown;
        }
        return output;
    }

    /// <summary>Reductions: axes from the attribute (or, from opset 18 and for ReduceSum from 13, the second input).</summary>
    private Dim[]? Reduce(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        bool keepDims = node.Int("keepdims", 1) == 1;
        bool axesAsInput = _opset >= 18 || (node.OpType == "ReduceSum" && _opset >= 13);
        long[]? axes = axesAsInput ? (Given(node, 1) ? Constant(node, 1) : []) : node.Ints("axes")?.ToArray() ?? [];
        if (axes is null) return keepDims ? Enumerable.Repeat(Dim.Unknown, x.Length).ToArray() : null;
        if (axes.Length == 0 && node.Int("noop_with_empty_axes", 0) != 0) return x;
        var reduced = axes.Length == 0 ? Enumerable.Range(0, x.Length).ToHashSet()
            : axes.Select(a => (int)(a < 0 ? a + x.Length : a)).ToHashSet();
        if (reduced.Any(a => a < 0 || a >= x.Length)) return null;
        return keepDims
            ? x.Select((d, i) => reduced.Contains(i) ? Dim.Of(1) : d).ToArray()
            : x.Where((_, i) => !reduced.Contains(i)).ToArray();
    }

    private static Dim[]? ArgReduce(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long axis = Axis(node.Int("axis", 0), x.Length);
        if (axis < 0) return null;
        return node.Int("keepdims", 1) == 1
            ? x.Select((d, i) => i == axis ? Dim.Of(1) : d).ToArray()
            : x.Where((_, i) => i != axis).ToArray();
    }

    /// <summary>Resize/Upsample: sizes (Resize input 3) or scales (Resize input 2, Upsample input 1 or attribute).</summary>
    private Dim[]? Resize(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        if (node.OpType == "Resize" && Constant(node, 3) is { } sizes)
            return sizes.Length == x.Length ? sizes.Select(Dim.Of).ToArray() : null;
        var scales = node.OpType == "Resize" ? ScalesOf(node, _opset >= 11 ? 2 : 1)
            : _opset >= 9 ? ScalesOf(node, 1) : node.Attribute("scales")?.Floats.ToArray();
        if (scales is null || scales.Length != x.Length) return Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
        return x.Select((d, i) => d.Value is { } v ? Dim.Of((long)Math.Floor(v * (double)scales[i])) : Dim.Unknown).ToArray();
    }

    private float[]? ScalesOf(OnnxNode node, int i) =>
        i < node.Inputs.Count && _floats.TryGetValue(node.Inputs[i], out var values) ? values : null;

    /// <summary>Split: sizes from the attribute (before opset 13) or second input, else equal parts.</summary>
    private Dim[]?[]? Split(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long axis = Axis(node.Int("axis", 0), x.Length);
        if (axis < 0) return null;
        var sizes = _opset >= 13 ? (Given(node, 1) ? Constant(node, 1) : null) : node.Ints("split")?.ToArray();
        int parts = node.Outputs.Count;
        if (sizes is null && x[axis].Value is { } total && total % parts == 0) sizes = Enumerable.Repeat(total / parts, parts).ToArray();
        var outputs = new Dim[]?[parts];
        for (int i = 0; i < parts; i++)
        {
            var output = (Dim[])x.Clone();
            output[axis] = sizes is { } known && known.Length == parts ? Dim.Of(known[i]) : Dim.Unknown;
            outputs[i] = output;
        }
        return outputs;
    }

    private Dim[]?[]? TopK(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long axis = Axis(node.Int("axis", -1), x.Length);
        if (axis < 0) return null;
        long? k = _opset >= 10 ? Constant(node, 1) is [var value] ? value : null : node.Int("k", -1) is >= 0 and var attribute ? attribute : null;
        var output = (Dim[])x.Clone();
        output[axis] = k is { } known ? Dim.Of(known) : Dim.Unknown;
        return [output, output];
    }

    private Dim[]? Range(OnnxNode node)
    {
        if (Constant(node, 0) is not [var start] || Constant(node, 1) is not [var limit] || Constant(node, 2) is not [var delta]
            || delta == 0)
            return Input(node, 0) is not null ? [Dim.Unknown] : null;
        long span = limit - start;
        long count = span / delta + (span % delta != 0 && (span > 0) == (delta > 0) ? 1 : 0);
        return [Dim.Of(Math.Max(0, count))];
    }

    private static Dim[]? DepthSpace(OnnxNode node, Dim[]? x)
    {
        long block = node.Int("blocksize", 0);
        if (x is not { Length: 4 } || block <= 0) return null;
        bool toSpace = node.OpType == "DepthToSpace";
        Dim Scale(Dim d, bool up) => d.Value is { } v ? Dim.Of(up ? v * block : v / block) : Dim.Unknown;
        return toSpace
            ? [x[0], x[1].Value is { } c ? Dim.Of(c / (block * block)) : Dim.Unknown, Scale(x[2], true), Scale(x[3], true)]
            : [x[0], x[1].Value is { } c2 ? Dim.Of(c2 * block * block) : Dim.Unknown, Scale(x[2], false), Scale(x[3], false)];
    }

    private static long Axis(long axis, int rank) => axis < 0 ? (axis + rank >= 0 ? axis + rank : -1) : axis < rank ? axis : -1;

    /// <summary>Multidirectional broadcasting; a known size beats 1 and symbols, equal symbols stay.</summary>
    private static Dim[]? Broadcast(IReadOnlyList<Dim[]?> inputs)
    {
        if (inputs.Count == 0 || inputs.Any(s => s is null)) return null;
        var shapes = inputs.Select(s => s!).ToList();
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

    private static Dim[]? ConvLike(OnnxNode node, Dim[]? x, Dim[]? w)
    {
        bool conv = w is not null || node.OpType is "Conv" or "ConvInteger" or "QLinearConv";
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

    /// <summary>onnx's multiplyDims: 1 × d is d (a symbol survives), two values multiply, anything else is unknown.</summary>
    private static Dim ProductDim(IEnumerable<Dim> dims)
    {
        var product = Dim.Of(1);
        foreach (var d in dims)
            product = product.Value is 1 ? d : d.Value is 1 ? product
                : product.Value is { } a && d.Value is { } b ? Dim.Of(a * b) : Dim.Unknown;
        return product;
    }

    /// <summary>
    /// Reshape as onnx infers it: 0 copies the input dim (value or symbol) unless allowzero; -1 is the input's
    /// element count over the explicit sizes, the copied positions cancelling out, so a copied symbolic batch still
    /// lets it resolve.
    /// </summary>
    private Dim[]? Reshape(OnnxNode node, Dim[]? x)
    {
        // A shape computed at run time gives no shape at all (onnx 1.12 infers no rank from it either).
        var target = _opset >= 5 ? Constant(node, 1) : node.Ints("shape")?.ToArray();
        if (target is null) return null;
        bool allowZero = node.Int("allowzero", 0) == 1;
        var output = new Dim[target.Length];
        var copied = new bool[target.Length];
        int inferred = -1;
        long explicitProduct = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long t = target[i];
            if (t == 0 && !allowZero)
            {
                if (x is null) output[i] = Dim.Unknown;
                else if (i < x.Length) (output[i], copied[i]) = (x[i], true);
                else return null;
            }
            else if (t == -1)
            {
                if (inferred >= 0) return null;
                inferred = i;
            }
            else if (t < 0) return null;
            else
            {
                output[i] = Dim.Of(t);
                explicitProduct *= t;
            }
        }
        if (inferred < 0) return output;
        output[inferred] = Dim.Unknown;
        if (x is null) return output;
        long inputProduct = 1;
        for (int i = 0; i < x.Length; i++)
        {
            bool cancels = i < copied.Length && copied[i];
            if (cancels) continue;
            if (x[i].Value is not { } v) return output;
            inputProduct *= v;
        }
        if (explicitProduct > 0 && inputProduct % explicitProduct == 0) output[inferred] = Dim.Of(inputProduct / explicitProduct);
        return output;
    }

    private Dim[]? Squeeze(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        var axes = _opset >= 13 ? (Given(node, 1) ? Constant(node, 1) : null) : node.Ints("axes")?.ToArray();
        if (axes is null)
        {
            if (_opset >= 13 && Given(node, 1)) return null;
            return x.All(d => d.Known) ? x.Where(d => d.Value != 1).ToArray() : null;
        }
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
        long sum = 0;
        foreach (var s in shapes)
        {
            if (s![axis].Value is not { } v)
            {
                sum = -1;
                break;
            }
            sum += v;
        }
        output[axis] = sum >= 0 ? Dim.Of(sum) : Dim.Unknown;
        for (int i = 0; i < rank; i++)
        {
            if (i == axis) continue;
            foreach (var s in shapes)
                if (!output[i].Known && s![i].Known) output[i] = s[i];
        }
        return output;
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

    /// <summary>
    /// Slice per the ONNX spec: negative starts/ends count from the end; then, for a positive step, both are clamped
    /// to [0, dim], for a negative step starts to [0, dim-1] and ends to [-1, dim-1]. PyTorch's INT64_MAX ("to the
    /// end") and -INT64_MAX with step -1 ("reverse") are ordinary values under these rules.
    /// </summary>
    private Dim[]? Slice(OnnxNode node, Dim[]? x)
    {
        if (x is null) return null;
        long[]? starts, ends, axes, steps;
        if (_opset >= 10)
        {
            starts = Constant(node, 1);
            ends = Constant(node, 2);
            axes = Given(node, 3) ? Constant(node, 3) : Enumerable.Range(0, starts?.Length ?? 0).Select(i => (long)i).ToArray();
            steps = Given(node, 4) ? Constant(node, 4) : Enumerable.Repeat(1L, starts?.Length ?? 0).ToArray();
        }
        else return SliceAttributes(node, x);
        if (starts is null || ends is null || axes is null || steps is null) return Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length) return null;
        var output = (Dim[])x.Clone();
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = Axis(axes[i], x.Length);
            if (axis < 0 || steps[i] == 0) return null;
            if (x[axis].Value is not { } size)
            {
                output[axis] = Dim.Unknown;
                continue;
            }
            output[axis] = Dim.Of(SliceLength(starts[i], ends[i], steps[i], size));
        }
        return output;
    }

    /// <summary>
    /// Slice-1 (attributes, before opset 10) as onnx 1.12 infers it: min(dim, end) - start per sliced axis; any negative
    /// start or end leaves every dimension unknown.
    /// </summary>
    private static Dim[]? SliceAttributes(OnnxNode node, Dim[] x)
    {
        var starts = node.Ints("starts")?.ToArray();
        var ends = node.Ints("ends")?.ToArray();
        if (starts is null || ends is null || starts.Length != ends.Length) return null;
        var axes = node.Ints("axes")?.ToArray() ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        if (axes.Length != starts.Length) return null;
        if (starts.Any(v => v < 0) || ends.Any(v => v < 0)) return Enumerable.Repeat(Dim.Unknown, x.Length).ToArray();
        var output = (Dim[])x.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            if (axes[i] < 0 || axes[i] >= x.Length) return null;
            output[axes[i]] = x[axes[i]].Value is { } size && Math.Min(size, ends[i]) - starts[i] is >= 0 and var length
                ? Dim.Of(length) : Dim.Unknown;
        }
        return output;
    }

    /// <summary>Elements a slice selects; exact for every int64 start, end and step (done in 128-bit).</summary>
    internal static long SliceLength(long start, long end, long step, long size)
    {
        if (size <= 0) return 0; // an empty axis stays empty (and has no [0, dim-1] to clamp into)
        Int128 first = start < 0 ? (Int128)start + size : start;
        Int128 last = end < 0 ? (Int128)end + size : end;
        if (step > 0)
        {
            first = Int128.Clamp(first, 0, size);
            last = Int128.Clamp(last, 0, size);
            return last <= first ? 0 : (long)((last - first + step - 1) / step);
        }
        first = Int128.Clamp(first, 0, size - 1);
        last = Int128.Clamp(last, -1, size - 1);
        Int128 stride = -(Int128)step;
        return first <= last ? 0 : (long)((first - last + stride - 1) / stride);
    }

    // ---- control flow: If branches, Loop and Scan bodies ----

    /// <summary>
    /// The scope a Loop or Scan body is inferred in (onnx 1.12): a Loop body's inputs keep only what the body declares
    /// (loop-carried shapes may change between iterations); a Scan body's state inputs take the node's input shapes and
    /// its scan inputs those shapes without the scan axis. Body input names shadow outer names.
    /// </summary>
    public OnnxShapes BodyScope(OnnxNode node, OnnxGraph body)
    {
        var scope = Nested();
        scope.Declare(body);
        if (node.OpType == "Scan")
        {
            int scanInputs = (int)Math.Clamp(node.Int("num_scan_inputs", 0), 0, body.Inputs.Count);
            int states = body.Inputs.Count - scanInputs;
            // Opset 8's Scan takes an optional sequence_lens first; from opset 9 the inputs are states then scans.
            int offset = _opset >= 9 ? 0 : 1;
            var axes = node.Ints("scan_input_axes");
            for (int i = 0; i < body.Inputs.Count; i++)
            {
                if (Input(node, i + offset) is not { } outer) continue;
                int scan = i - states;
                long axis = scan < 0 ? -1 : Axis(axes is { } a && scan < a.Count ? a[scan] : 0, outer.Length);
                if (scan >= 0 && axis < 0) continue;
                var derived = scan < 0 ? outer : outer.Where((_, j) => j != axis).ToArray();
                var declared = body.Inputs[i].Shape;
                scope.Set(body.Inputs[i].Name, declared is null ? derived : Merge(derived, Sane(declared)));
            }
        }
        return scope;
    }

    /// <summary>Output shapes of If (the union of both branches), Loop and Scan from their inferred bodies.</summary>
    public void InferControlFlow(OnnxNode node, IReadOnlyList<(OnnxGraph Graph, OnnxShapes Scope)> bodies)
    {
        var outputs = new Dim[]?[node.Outputs.Count];
        string? reason = null;
        switch (node.OpType)
        {
            case "If" when bodies.Count == 2:
                for (int i = 0; i < outputs.Length; i++)
                {
                    var then = BodyOutput(bodies[0], i);
                    var otherwise = BodyOutput(bodies[1], i);
                    outputs[i] = then is null || otherwise is null ? null : Union(then, otherwise);
                }
                reason = "If: a branch output has no shape, or the branches disagree on its rank";
                break;
            case "Loop" when bodies.Count == 1:
                int carried = Math.Max(0, node.Inputs.Count - 2);
                for (int i = carried; i < outputs.Length; i++)
                    outputs[i] = BodyOutput(bodies[0], i + 1) is { } each ? [Dim.Unknown, .. each] : null;
                reason = "Loop: a loop-carried value may change shape between iterations";
                break;
            case "Scan" when bodies.Count == 1:
                int scans = (int)Math.Clamp(node.Int("num_scan_inputs", 0), 0, bodies[0].Graph.Inputs.Count);
                int states = bodies[0].Graph.Inputs.Count - scans;
                int offset = _opset >= 9 ? 0 : 1;
                var length = Enumerable.Range(0, scans).Select(s =>
                {
                    var axes = node.Ints("scan_input_axes");
                    var outer = Input(node, states + s + offset);
                    long axis = outer is null ? -1 : Axis(axes is { } a && s < a.Count ? a[s] : 0, outer.Length);
                    return axis < 0 ? Dim.Unknown : outer![axis];
                }).FirstOrDefault(Dim.Unknown);
                var outputAxes = node.Ints("scan_output_axes");
                for (int i = 0; i < outputs.Length; i++)
                {
                    if (BodyOutput(bodies[0], i) is not { } each) continue;
                    if (i < states) outputs[i] = each;
                    else
                    {
                        long axis = Axis(outputAxes is { } a && i - states < a.Count ? a[i - states] : 0, each.Length + 1);
                        if (axis >= 0) outputs[i] = [.. each[..(int)axis], length, .. each[(int)axis..]];
                    }
                }
                reason = "Scan: a body output has no shape";
                break;
        }
        SetOutputs(node, outputs, reason ?? $"{node.OpType}: its subgraphs do not match the op");
    }

    private static Dim[]? BodyOutput((OnnxGraph Graph, OnnxShapes Scope) body, int i) =>
        i < body.Graph.Outputs.Count ? body.Scope.Shape(body.Graph.Outputs[i].Name) : null;

    /// <summary>onnx's UnionShapeInfo: equal dims (by value or symbol) stay, others become unknown; ranks must agree.</summary>
    private static Dim[]? Union(Dim[] a, Dim[] b) =>
        a.Length != b.Length ? null
            : a.Select((d, i) => d.Known && b[i].Known && d.Value == b[i].Value ? d
                : d.Param is not null && d.Param == b[i].Param ? d : Dim.Unknown).ToArray();
}
