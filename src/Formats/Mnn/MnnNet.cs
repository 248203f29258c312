// Spec: MNN model schema, alibaba/MNN schema/default/MNN.fbs (table Net, table Op, union OpParameter), CaffeOp.fbs
// (Convolution2D, Convolution2DCommon, IDSTQuan, QuantizedFloatParam, InnerProduct, Input, Pool, Scale, BatchNorm,
// PRelu, Reshape, Interp), Tensor.fbs (Blob), TensorflowOp.fbs (MatMul, BatchMatMulParam, SqueezeParam, LayerNorm),
// UserDefine.fbs (TensorConvertInfo), Type.fbs (DataType); no file identifier.
using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.FlatBuffers;

namespace GaugeNN.Formats.Mnn;

/// <summary>
/// Dissects an MNN Net: op histogram; params and weight dtypes of convolutions, inner products, MatMul weights, Const
/// blobs and the per-channel tensors of Scale / BatchNorm / PReLU / LayerNorm; MACs of convolutions,
/// deconvolutions, inner products and (batch) matmuls from shapes propagated from the Input ops. A convolution whose
/// weights the file does not hold (MNN's benchmark models are stripped) counts its declared weight shape under the
/// dtype <c>NOT_STORED</c>. Ops outside the propagation rules leave their outputs unknown, so a MAC after them is an
/// unknown-MAC node with the reason.
/// </summary>
internal static class MnnNet
{
    private const string Format = "mnn";
    private const string NotStored = "NOT_STORED";

    private static class Net
    {
        public const int OpLists = 3, OutputName = 4, TensorName = 7;
    }

    private static class Op
    {
        public const int InputIndexes = 0, MainType = 1, Main = 2, Name = 3, OutputIndexes = 4, Type = 5;
    }

    /// <summary>OpParameter union members (1-based, MNN.fbs order) that the dissector reads.</summary>
    private static class Parameter
    {
        public const int Axis = 4, BatchNorm = 5, Blob = 7, Convolution2D = 9, InnerProduct = 20, Input = 21, Interp = 22,
            MatMul = 25, Pool = 31, PRelu = 32, Reshape = 55, Scale = 58, Squeeze = 64, TensorConvert = 66, BatchMatMul = 73,
            LayerNorm = 88;
    }

    private static class Conv
    {
        public const int Common = 0, Weight = 1, Bias = 2, QuanParameter = 3, SymmetricQuan = 4, External = 6;
        public const int PadX = 0, PadY = 1, KernelX = 2, KernelY = 3, StrideX = 4, StrideY = 5, DilateX = 6, DilateY = 7,
            PadMode = 8, Group = 9, OutputCount = 10, InputCount = 11, Pads = 14;
    }

    /// <summary>MNN_DATA_FORMAT: NCHW and NC4HW4 hold dims as [N, C, H, W]; NHWC as [N, H, W, C].</summary>
    private const int Nhwc = 1, Nc4hw4 = 2;

    private static readonly string[] DataTypes =
    [
        "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_STRING", "DT_COMPLEX64",
        "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16",
        "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT",
    ];

    private static string DataType(int type) => (uint)type < (uint)DataTypes.Length ? DataTypes[type] : $"DT_{type}";

    /// <summary>A tensor's dims in its own layout (null = unknown size) and that layout.</summary>
    private sealed record Shape(long?[] Dims, int Layout);

    private sealed class Context(string[] names)
    {
        public string[] Names { get; } = names;
        public Dictionary<int, Shape> Shapes { get; } = [];
        public Dictionary<int, string> Why { get; } = [];

        public string Name(int tensor) => (uint)tensor < (uint)Names.Length ? Names[tensor] : $"tensor{tensor}";

        public string Reason(int tensor) => Why.TryGetValue(tensor, out string? why) ? why : $"no shape reaches '{Name(tensor)}'";
    }

    public static ModelFacts Dissect(ReadOnlyMemory<byte> bytes)
    {
        var facts = new ModelFacts(Format);
        var buffer = new FlatBuffer(bytes, Format);
        var net = buffer.Root("Net");
        var tensorNames = net.Vector(Net.TensorName, 4, "Net.tensorName");
        var names = new string[tensorNames.Count];
        for (int i = 0; i < names.Length; i++) names[i] = tensorNames.String(i);
        var context = new Context(names);
        var ops = net.Vector(Net.OpLists, 4, "Net.oplists");
        if (ops.Count == 0) throw buffer.Fail(net.Position, "Net.oplists", "an MNN net needs at least one op");
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops.Table(i);
            string type = MnnOpTypes.Name(op.Int32(Op.Type, "Op.type"));
            facts.Layers++;
            facts.Ops.Add(type);
            facts.Structure.Add(type);
            var inputs = Ints(op.Vector(Op.InputIndexes, 4, "Op.inputIndexes"));
            var outputs = Ints(op.Vector(Op.OutputIndexes, 4, "Op.outputIndexes"));
            facts.Structure.Add(op.Vector(Op.InputIndexes, 4, "Op.inputIndexes").Bytes);
            facts.Structure.Add(op.Vector(Op.OutputIndexes, 4, "Op.outputIndexes").Bytes);
            string name = op.String(Op.Name, "Op.name") ?? "";
            if (name.Length > 0) facts.Names.Add(name);
            int parameter = op.Byte(Op.MainType, "Op.main_type");
            var main = parameter == 0 ? null : op.Table(Op.Main, "Op.main");
            if (type.Contains("Int8", StringComparison.Ordinal) || type.StartsWith("Quantize", StringComparison.Ordinal)) facts.Quantized = true;
            var step = new Step(type, name, parameter, main, inputs, outputs);
            AddWeights(step, facts);
            Propagate(step, context, facts);
        }
        var outputNames = net.Vector(Net.OutputName, 4, "Net.outputName");
        for (int i = 0; i < outputNames.Count; i++)
        {
            string output = outputNames.String(i);
            int tensor = Array.IndexOf(names, output);
            var shape = tensor >= 0 ? context.Shapes.GetValueOrDefault(tensor) : null;
            facts.Outputs.Add(TensorSpec.Of(output, shape?.Dims.Select(d => d).ToList() ?? [], DataType(1)));
        }
        facts.Metadata["bytes"] = bytes.Length.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["tensors"] = names.Length.ToString(CultureInfo.InvariantCulture);
        return facts;
    }

    private sealed record Step(string Type, string Name, int Parameter, FlatTable? Main, int[] Inputs, int[] Outputs)
    {
        public FlatTable? Param(int member) => Parameter == member ? Main : null;
    }

    private static int[] Ints(FlatVector vector)
    {
        var values = new int[vector.Count];
        for (int i = 0; i < values.Length; i++) values[i] = vector.Int32(i);
        return values;
    }

    // ---- params and dtypes ----

    private static void AddWeights(Step step, ModelFacts facts)
    {
        if (step.Param(Parameter.Convolution2D) is { } conv) ConvolutionWeights(step, conv, facts);
        else if (step.Param(Parameter.InnerProduct) is { } fc) InnerProductWeights(fc, facts);
        else if (step.Param(Parameter.Blob) is { } blob && step.Type is "Const" or "TrainableParam")
        {
            long elements = 1;
            var dims = blob.Vector(0, 4, "Blob.dims");
            for (int d = 0; d < dims.Count; d++)
            {
                int size = dims.Int32(d);
                if (size < 0) throw new MalformedModelException(Format, blob.Position, "Blob.dims", $"a constant has dimension {size}");
                elements = checked(elements * size);
            }
            Add(facts, DataType(blob.Int32(2, "Blob.dataType", 1)), elements);
        }
        else if (step.Param(Parameter.MatMul) is { } matMul)
        {
            Add(facts, DataType(1), matMul.Vector(3, 4, "MatMul.weight").Count);
            Add(facts, DataType(1), matMul.Vector(4, 4, "MatMul.bias").Count);
        }
        else if (step.Param(Parameter.Scale) is { } scale)
        {
            Add(facts, DataType(1), scale.Vector(1, 4, "Scale.scaleData").Count);
            Add(facts, DataType(1), scale.Vector(2, 4, "Scale.biasData").Count);
        }
        else if (step.Param(Parameter.BatchNorm) is { } norm)
            for (int slot = 1; slot <= 6; slot++) Add(facts, DataType(1), norm.Vector(slot, 4, "BatchNorm data").Count);
        else if (step.Param(Parameter.PRelu) is { } prelu) Add(facts, DataType(1), prelu.Vector(1, 4, "PRelu.slope").Count);
        else if (step.Param(Parameter.LayerNorm) is { } layerNorm)
        {
            Add(facts, DataType(1), layerNorm.Vector(2, 4, "LayerNorm.gamma").Count);
            Add(facts, DataType(1), layerNorm.Vector(3, 4, "LayerNorm.beta").Count);
        }
    }

    private static void Add(ModelFacts facts, string dtype, long elements)
    {
        if (elements == 0) return;
        facts.Params = checked(facts.Params + elements);
        facts.WeightDtypes.Add(dtype, elements);
    }

    /// <summary>
    /// Declared weights OC × IC/group × KH × KW (a depthwise op without inputCount has IC/group = 1) and OC biases; the
    /// dtype is what the file stores: float weights, IDST-quantized int8 (or fp16), symmetric int8 with int32 biases,
    /// external, or nothing.
    /// </summary>
    private static void ConvolutionWeights(Step step, FlatTable conv, ModelFacts facts)
    {
        var common = conv.Table(Conv.Common, "Convolution2D.common");
        long outputs = common?.Int32(Conv.OutputCount, "common.outputCount") ?? 0;
        long inputCount = common?.Int32(Conv.InputCount, "common.inputCount") ?? 0;
        long group = Math.Max(1, common?.Int32(Conv.Group, "common.group", 1) ?? 1);
        long kernel = (long)(common?.Int32(Conv.KernelX, "common.kernelX", 1) ?? 1) * (common?.Int32(Conv.KernelY, "common.kernelY", 1) ?? 1);
        long perGroup = inputCount > 0 ? inputCount / group : 1;
        if (outputs < 0 || inputCount < 0 || kernel < 0)
            throw new MalformedModelException(Format, conv.Position, "Convolution2D.common", "a negative count or kernel size");
        long declared = checked(outputs * perGroup * kernel);
        var weight = conv.Vector(Conv.Weight, 4, "Convolution2D.weight");
        var bias = conv.Vector(Conv.Bias, 4, "Convolution2D.bias");
        if (weight.Count > 0) Add(facts, DataType(1), weight.Count);
        else if (conv.Table(Conv.QuanParameter, "Convolution2D.quanParameter") is { } idst)
        {
            facts.Quantized = true;
            Add(facts, idst.Int32(2, "IDSTQuan.type") == 3 ? "DT_HALF" : "DT_INT8", declared);
        }
        else if (conv.Table(Conv.SymmetricQuan, "Convolution2D.symmetricQuan") is { } symmetric)
        {
            facts.Quantized = true;
            Add(facts, "DT_INT8", symmetric.Vector(0, 1, "QuantizedFloatParam.weight") is { Count: > 0 } w ? w.Count : declared);
            Add(facts, "DT_INT32", symmetric.Vector(1, 4, "QuantizedFloatParam.bias").Count);
            return;
        }
        else if (conv.Vector(Conv.External, 8, "Convolution2D.external").Count > 0) Add(facts, "EXTERNAL", declared);
        else Add(facts, NotStored, declared);
        if (bias.Count > 0) Add(facts, DataType(1), bias.Count);
        else Add(facts, weight.Count > 0 ? DataType(1) : NotStored, step.Type.Contains("Int8", StringComparison.Ordinal) ? 0 : outputs);
    }

    private static void InnerProductWeights(FlatTable fc, ModelFacts facts)
    {
        long outputs = fc.Int32(0, "InnerProduct.outputCount");
        long weightSize = fc.Int32(2, "InnerProduct.weightSize");
        if (outputs < 0 || weightSize < 0) throw new MalformedModelException(Format, fc.Position, "InnerProduct", "a negative count");
        var weight = fc.Vector(3, 4, "InnerProduct.weight");
        var bias = fc.Vector(4, 4, "InnerProduct.bias");
        bool quantized = fc.Table(7, "InnerProduct.quanParameter") is not null;
        if (quantized) facts.Quantized = true;
        Add(facts, weight.Count > 0 ? DataType(1) : quantized ? "DT_INT8" : NotStored, weight.Count > 0 ? weight.Count : weightSize);
        Add(facts, bias.Count > 0 ? DataType(1) : NotStored, bias.Count > 0 ? bias.Count : fc.Int32(1, "InnerProduct.biasTerm") != 0 ? outputs : 0);
    }

    // ---- shapes and MACs ----

    private static void Propagate(Step step, Context context, ModelFacts facts)
    {
        Shape? Input(int i) => i < step.Inputs.Length ? context.Shapes.GetValueOrDefault(step.Inputs[i]) : null;
        string InputWhy(int i) => i < step.Inputs.Length ? context.Reason(step.Inputs[i]) : $"{step.Type} '{step.Name}' has no input {i}";
        Shape? output;
        string why = $"no shape rule for {step.Type} here";
        try
        {
            output = Output(step, Input, facts, context, out string? reason);
            if (reason is not null) why = reason;
        }
        catch (OverflowException)
        {
            output = null;
            why = $"{step.Type} '{step.Name}': shape arithmetic overflows";
        }
        if (output is null && step.Inputs.Length > 0 && Input(0) is null) why = InputWhy(0);
        if (step.Type == "Input" && output is not null && step.Outputs.Length > 0)
            facts.Inputs.Add(TensorSpec.Of(context.Name(step.Outputs[0]), output.Dims.ToList(),
                DataType(step.Param(Parameter.Input)?.Int32(1, "Input.dtype", 1) ?? 1)));
        foreach (int tensor in step.Outputs.Take(1))
        {
            if (output is not null) context.Shapes[tensor] = output;
            else
            {
                context.Shapes.Remove(tensor);
                context.Why[tensor] = why;
            }
        }
        foreach (int tensor in step.Outputs.Skip(1))
        {
            context.Shapes.Remove(tensor);
            context.Why[tensor] = $"{step.Type} '{step.Name}': only its first output is shaped here";
        }
    }

    private static Shape? Output(Step step, Func<int, Shape?> input, ModelFacts facts, Context context, out string? why)
    {
        why = null;
        var x = input(0);
        switch (step.Type)
        {
            case "Input":
            {
                var declared = step.Param(Parameter.Input);
                var dims = declared?.Vector(0, 4, "Input.dims") ?? default;
                if (dims.Count > 64) throw new MalformedModelException(Format, declared!.Value.Position, "Input.dims", "rank is too large");
                return new Shape(Enumerable.Range(0, dims.Count).Select(d => dims.Int32(d) is >= 0 and var v ? (long?)v : null).ToArray(),
                    declared?.Byte(2, "Input.dformat", Nc4hw4) ?? Nc4hw4);
            }
            case "Convolution" or "ConvolutionDepthwise" or "ConvInt8" or "DepthwiseConvInt8":
                return Convolution(step, x, facts, context, out why);
            case "Deconvolution" or "DeconvolutionDepthwise":
                return Deconvolution(step, x, facts, context, out why);
            case "InnerProduct":
                return InnerProduct(step, x, facts);
            case "MatMul" or "BatchMatMul":
                return MatMul(step, x, input(1), facts, context);
            case "Pooling":
                return Pooling(step.Param(Parameter.Pool), x);
            case "ReLU" or "ReLU6" or "Sigmoid" or "TanH" or "ELU" or "Selu" or "PReLU" or "Scale" or "BatchNorm" or "Dropout"
                or "UnaryOp" or "Softmax" or "LRN" or "Cast" or "Normalize" or "LayerNorm" or "InstanceNorm":
                return x;
            case "BinaryOp" or "Eltwise":
                return Broadcast(step.Inputs.Select((_, i) => input(i)).ToList());
            case "Concat":
                return Concat(step, input);
            case "ConvertTensor":
                return ConvertTensor(step.Param(Parameter.TensorConvert), x);
            case "Squeeze":
                return Squeeze(step.Param(Parameter.Squeeze), x);
            case "Reshape":
                return step.Inputs.Length == 1 ? Reshape(step.Param(Parameter.Reshape), x) : null;
            case "Interp":
                return Interp(step.Param(Parameter.Interp), x);
            case "Const":
                var blob = step.Param(Parameter.Blob);
                var blobDims = blob?.Vector(0, 4, "Blob.dims") ?? default;
                return blob is null ? null : new Shape(Enumerable.Range(0, blobDims.Count).Select(d => (long?)blobDims.Int32(d)).ToArray(),
                    blob.Value.Byte(1, "Blob.dataFormat"));
            default:
                return null;
        }
    }

    private static Shape? Convolution(Step step, Shape? x, ModelFacts facts, Context context, out string? why)
    {
        why = null;
        var common = step.Param(Parameter.Convolution2D)?.Table(Conv.Common, "Convolution2D.common");
        if (common is not { } c)
        {
            why = $"{step.Type} '{step.Name}' has no Convolution2DCommon";
            facts.UnknownMacs(step.Name, step.Type, why);
            return null;
        }
        long outputs = c.Int32(Conv.OutputCount, "common.outputCount");
        long group = Math.Max(1, c.Int32(Conv.Group, "common.group", 1));
        long inputCount = c.Int32(Conv.InputCount, "common.inputCount");
        long kx = c.Int32(Conv.KernelX, "common.kernelX", 1), ky = c.Int32(Conv.KernelY, "common.kernelY", 1);
        if (x is not { Dims.Length: 4 } || x.Layout == Nhwc)
        {
            facts.UnknownMacs(step.Name, step.Type, x is null ? context.Reason(step.Inputs.FirstOrDefault(-1)) : $"input of {step.Type} '{step.Name}' is not a 4-D NCHW tensor");
            return null;
        }
        long? oh = Spatial(x.Dims[2], ky, c.Int32(Conv.StrideY, "common.strideY", 1), c.Int32(Conv.DilateY, "common.dilateY", 1), Pads(c, 0), c.Byte(Conv.PadMode, "common.padMode"));
        long? ow = Spatial(x.Dims[3], kx, c.Int32(Conv.StrideX, "common.strideX", 1), c.Int32(Conv.DilateX, "common.dilateX", 1), Pads(c, 1), c.Byte(Conv.PadMode, "common.padMode"));
        long perGroup = inputCount > 0 ? inputCount / group : x.Dims[1] is { } channels ? channels / group : 1;
        if (oh is { } h && ow is { } w) AddMacs(facts, step, x.Dims[0] ?? 1, h, w, outputs, ky, kx, perGroup);
        else facts.UnknownMacs(step.Name, step.Type, $"the spatial size of '{context.Name(step.Inputs[0])}' is unknown");
        return new Shape([x.Dims[0], outputs, oh, ow], Nc4hw4);
    }

    /// <summary>Pads per axis (0 = y, 1 = x): the pads list [top, left, bottom, right] when present, else 2 × padY/padX.</summary>
    private static long Pads(FlatTable common, int axis)
    {
        var pads = common.Vector(Conv.Pads, 4, "common.pads");
        if (pads.Count == 4) return (long)pads.Int32(axis) + pads.Int32(axis + 2);
        return 2L * common.Int32(axis == 0 ? Conv.PadY : Conv.PadX, "common.pad");
    }

    /// <summary>MNN's ConvolutionCommon output size: SAME = ceil(in / s), VALID and CAFFE = (in + pads - extent) / s + 1.</summary>
    private static long? Spatial(long? input, long kernel, long stride, long dilation, long pads, int padMode)
    {
        if (input is not { } size || stride <= 0 || kernel <= 0 || dilation <= 0) return null;
        long extent = dilation * (kernel - 1) + 1;
        return padMode switch
        {
            2 => (size + stride - 1) / stride,
            1 => (size - extent) / stride + 1,
            _ => (size + pads - extent) / stride + 1,
        } is > 0 and var output ? output : null;
    }

    private static Shape? Deconvolution(Step step, Shape? x, ModelFacts facts, Context context, out string? why)
    {
        why = null;
        var c = step.Param(Parameter.Convolution2D)?.Table(Conv.Common, "Convolution2D.common");
        if (c is null || x is not { Dims.Length: 4 } || x.Layout == Nhwc)
        {
            facts.UnknownMacs(step.Name, step.Type, x is null ? context.Reason(step.Inputs.FirstOrDefault(-1)) : $"{step.Type} '{step.Name}' has no 4-D NCHW input or no common");
            return null;
        }
        long outputs = c.Value.Int32(Conv.OutputCount, "common.outputCount");
        long group = Math.Max(1, c.Value.Int32(Conv.Group, "common.group", 1));
        long kx = c.Value.Int32(Conv.KernelX, "common.kernelX", 1), ky = c.Value.Int32(Conv.KernelY, "common.kernelY", 1);
        if (x.Dims[1] is { } channels && x.Dims[2] is { } h && x.Dims[3] is { } w)
            AddMacs(facts, step, x.Dims[0] ?? 1, h, w, channels, ky, kx, outputs / group);
        else facts.UnknownMacs(step.Name, step.Type, $"the size of '{context.Name(step.Inputs[0])}' is unknown");
        why = $"{step.Type} '{step.Name}': output sizes are not propagated";
        return null;
    }

    private static Shape? InnerProduct(Step step, Shape? x, ModelFacts facts)
    {
        var fc = step.Param(Parameter.InnerProduct);
        long outputs = fc?.Int32(0, "InnerProduct.outputCount") ?? 0;
        long weightSize = fc?.Int32(2, "InnerProduct.weightSize") ?? 0;
        if (fc is null || outputs <= 0 || weightSize <= 0)
        {
            facts.UnknownMacs(step.Name, step.Type, $"InnerProduct '{step.Name}' declares no outputCount and weightSize");
            return null;
        }
        AddMacs(facts, step, x is { Dims.Length: > 0 } ? x.Dims[0] ?? 1 : 1, weightSize);
        return new Shape([x is { Dims.Length: > 0 } ? x.Dims[0] : null, outputs], Nc4hw4);
    }

    private static Shape? MatMul(Step step, Shape? a, Shape? b, ModelFacts facts, Context context)
    {
        bool transposeA = step.Param(Parameter.MatMul)?.Bool(1, "MatMul.transposeA") ?? step.Param(Parameter.BatchMatMul)?.Bool(0, "BatchMatMulParam.adjX") ?? false;
        bool transposeB = step.Param(Parameter.MatMul)?.Bool(2, "MatMul.transposeB") ?? step.Param(Parameter.BatchMatMul)?.Bool(1, "BatchMatMulParam.adjY") ?? false;
        if (a is not { Dims.Length: >= 2 } || b is not { Dims.Length: >= 2 })
        {
            int missing = a is null ? 0 : 1;
            facts.UnknownMacs(step.Name, step.Type, (a is null || b is null) && missing < step.Inputs.Length
                ? context.Reason(step.Inputs[missing]) : $"{step.Type} '{step.Name}': an operand is not at least 2-D");
            return null;
        }
        long? m = transposeA ? a.Dims[^1] : a.Dims[^2], k = transposeA ? a.Dims[^2] : a.Dims[^1];
        long? n = transposeB ? b.Dims[^2] : b.Dims[^1];
        var batch = a.Dims[..^2];
        if (k is null || n is null || batch.Skip(1).Any(d => d is null))
        {
            facts.UnknownMacs(step.Name, step.Type, $"{step.Type} '{step.Name}': a needed dimension is unknown");
            return null;
        }
        AddMacs(facts, step, [.. batch.Select((d, i) => i == 0 ? d ?? 1 : d!.Value), m ?? 1, n.Value, k.Value]);
        return new Shape([.. batch, m, n], a.Layout);
    }

    /// <summary>Adds a node's MACs, or counts it unknown when the product passes 64 bits (only hostile sizes get there).</summary>
    private static void AddMacs(ModelFacts facts, Step step, params long[] factors)
    {
        long product = 1;
        foreach (long f in factors)
        {
            if (f < 0 || (f != 0 && product > long.MaxValue / f))
            {
                facts.UnknownMacs(step.Name, step.Type, f < 0 ? "a negative size" : "MACs overflow 64 bits");
                return;
            }
            product *= f;
        }
        facts.AddMacs(product);
    }

    private static Shape? Pooling(FlatTable? pool, Shape? x)
    {
        if (pool is not { } p || x is not { Dims.Length: 4 } || x.Layout == Nhwc) return null;
        if (p.Bool(2, "Pool.isGlobal")) return new Shape([x.Dims[0], x.Dims[1], 1, 1], x.Layout);
        long kx = p.Int32(3, "Pool.kernelX"), ky = p.Int32(4, "Pool.kernelY");
        long sx = p.Int32(5, "Pool.strideX"), sy = p.Int32(6, "Pool.strideY");
        int padType = p.Byte(8, "Pool.padType");
        bool ceil = p.Bool(10, "Pool.ceilModel", true);
        var pads = p.Vector(11, 4, "Pool.pads");
        long padY = pads.Count == 4 ? (long)pads.Int32(0) + pads.Int32(2) : 2L * p.Int32(1, "Pool.padY");
        long padX = pads.Count == 4 ? (long)pads.Int32(1) + pads.Int32(3) : 2L * p.Int32(0, "Pool.padX");
        // MNN's Pool size: SAME = ceil(in / s); VALID = (in - k) / s + 1; CAFFE rounds up when ceilModel.
        long? Size(long? input, long k, long s, long pad)
        {
            if (input is not { } size || k <= 0 || s <= 0) return null;
            if (padType == 2) return (size + s - 1) / s;
            long span = padType == 1 ? size - k : size + pad - k;
            return (ceil && padType == 0 ? (span + s - 1) / s : span / s) + 1 is > 0 and var output ? output : null;
        }
        return new Shape([x.Dims[0], x.Dims[1], Size(x.Dims[2], ky, sy, padY), Size(x.Dims[3], kx, sx, padX)], x.Layout);
    }

    private static Shape? Broadcast(List<Shape?> inputs)
    {
        if (inputs.Count == 0 || inputs.Any(i => i is null)) return null;
        int rank = inputs.Max(i => i!.Dims.Length);
        var dims = new long?[rank];
        for (int d = 0; d < rank; d++)
        {
            long? size = 1;
            foreach (var input in inputs)
            {
                int j = d - (rank - input!.Dims.Length);
                if (j < 0) continue;
                var v = input.Dims[j];
                size = v is 1 ? size : size is 1 ? v : v == size ? v : null;
            }
            dims[d] = size;
        }
        return new Shape(dims, inputs.First(i => i!.Dims.Length == rank)!.Layout);
    }

    private static Shape? Concat(Step step, Func<int, Shape?> input)
    {
        var shapes = step.Inputs.Select((_, i) => input(i)).ToList();
        if (shapes.Count == 0 || shapes.Any(s => s is null) || shapes.Any(s => s!.Dims.Length != shapes[0]!.Dims.Length)) return null;
        long axis = step.Param(Parameter.Axis)?.Int32(0, "Axis.axis") ?? 0;
        int rank = shapes[0]!.Dims.Length;
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank) return null;
        var dims = (long?[])shapes[0]!.Dims.Clone();
        dims[axis] = shapes.All(s => s!.Dims[axis] is not null) ? shapes.Sum(s => s!.Dims[axis]!.Value) : null;
        return new Shape(dims, shapes[0]!.Layout);
    }

    private static Shape? ConvertTensor(FlatTable? info, Shape? x)
    {
        if (info is not { } i || x is not { Dims.Length: 4 }) return x;
        int source = i.Byte(0, "TensorConvertInfo.source"), dest = i.Byte(1, "TensorConvertInfo.dest");
        bool fromNhwc = source == Nhwc, toNhwc = dest == Nhwc;
        if (fromNhwc == toNhwc) return new Shape(x.Dims, dest);
        var d = x.Dims;
        return new Shape(toNhwc ? [d[0], d[2], d[3], d[1]] : [d[0], d[3], d[1], d[2]], dest);
    }

    private static Shape? Squeeze(FlatTable? param, Shape? x)
    {
        if (x is null || param is not { } p) return null;
        var axes = p.Vector(0, 4, "SqueezeParam.squeezeDims");
        var drop = Enumerable.Range(0, axes.Count).Select(a => axes.Int32(a) < 0 ? axes.Int32(a) + x.Dims.Length : axes.Int32(a)).ToHashSet();
        if (drop.Count == 0 || drop.Any(a => a < 0 || a >= x.Dims.Length)) return null;
        return new Shape(x.Dims.Where((_, i) => !drop.Contains(i)).ToArray(), x.Layout);
    }

    /// <summary>Reshape with constant dims: 0 copies the input dim, one -1 takes the rest.</summary>
    private static Shape? Reshape(FlatTable? param, Shape? x)
    {
        if (x is null || param is not { } p) return null;
        var target = p.Vector(0, 4, "Reshape.dims");
        if (target.Count == 0 || target.Count > 64) return null;
        var dims = new long?[target.Count];
        int infer = -1;
        for (int i = 0; i < dims.Length; i++)
        {
            int t = target.Int32(i);
            if (t == -1 && infer < 0) infer = i;
            else if (t == 0 && i < x.Dims.Length) dims[i] = x.Dims[i];
            else if (t > 0) dims[i] = t;
            else return null;
        }
        if (infer >= 0)
        {
            long? total = x.Dims.Aggregate((long?)1, (a, d) => a * d);
            long? rest = dims.Where((_, i) => i != infer).Aggregate((long?)1, (a, d) => a * d);
            dims[infer] = total is { } all && rest is > 0 and var part && all % part == 0 ? all / part : null;
        }
        return new Shape(dims, x.Layout);
    }

    private static Shape? Interp(FlatTable? param, Shape? x)
    {
        if (x is not { Dims.Length: 4 } || param is not { } p || x.Layout == Nhwc) return null;
        long height = p.Int32(3, "Interp.outputHeight"), width = p.Int32(2, "Interp.outputWidth");
        float hs = p.Float(1, "Interp.heightScale"), ws = p.Float(0, "Interp.widthScale");
        long? H(long? size, long fixedSize, float scale) => fixedSize > 0 ? fixedSize : size is { } s && scale > 0 ? (long)(s * (double)scale) : null;
        return new Shape([x.Dims[0], x.Dims[1], H(x.Dims[2], height, hs), H(x.Dims[3], width, ws)], x.Layout);
    }

    public static bool Looks(ReadOnlySpan<byte> bytes, string entryName)
    {
        if (!entryName.EndsWith(".mnn", StringComparison.OrdinalIgnoreCase) || bytes.Length < 8) return false;
        try
        {
            return PinnedSpanMemory.Read(bytes, memory => Dissect(memory).Layers > 0);
        }
        catch (MalformedModelException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
