namespace GaugeNN.Formats.Mnn;

/// <summary>OpType names from alibaba/MNN schema/default/MNN.fbs (enum OpType : int).</summary>
internal static class MnnOpTypes
{
    /// <summary>Values 0..121 are numbered in declaration order.</summary>
    private static readonly string[] Sequential =
    [
        "AbsVal", "QuantizedAdd", "ArgMax", "AsString", "InstanceNorm", "BatchToSpaceND", "Bias", "BinaryOp", "Bnll", "Cast", "Concat", "Const", "Convolution", "ConvolutionDepthwise", "Crop", "CropAndResize", "Cubic", "Deconvolution", "DeconvolutionDepthwise", "Dequantize", "DetectionOutput", "Dropout", "Eltwise", "ELU", "Unique", "Exp", "ExpandDims", "Fill", "Flatten", "FloorMod", "Gather", "GatherV2", "Im2Seq", "InnerProduct", "Input", "Interp", "Log", "LRN", "LSTM", "MatMul", "MVN", "NonMaxSuppression", "NonMaxSuppressionV2", "Normalize", "Pack", "Padding", "Permute", "Pooling", "Power", "PReLU", "PriorBox", "Proposal", "QuantizedAvgPool", "QuantizedBiasAdd", "QuantizedConcat", "QuantizedDepthwiseConv2D", "QuantizedLogistic", "QuantizedMatMul", "QuantizedMaxPool", "QuantizedRelu", "QuantizedRelu6", "QuantizedReshape", "QuantizedSoftmax", "QuantizeMaxMin", "QuantizeV2", "Range", "Rank", "ReduceJoin", "Reduction", "ReLU", "ReLU6", "RequantizationRange", "Requantize", "Reshape", "Resize", "RNN", "ROIPooling", "Scale", "Selu", "Seq2Out", "Shape", "Sigmoid", "Size", "Slice", "SliceTf", "Softmax", "SpaceToBatchND", "SpatialProduct", "Split", "Segment", "Squeeze", "StridedSlice", "StringJoin", "StringSplit", "StringToNumber", "TanH", "TfQuantizedConv2D", "Threshold", "Tile", "TopKV2", "Transpose", "UnaryOp", "Unpack", "Where", "Moments", "RNNSequenceGRU", "BatchMatMul", "Unsqueeze", "CosineSimilarity", "DepthToSpace", "SpaceToDepth", "ReverseSequence", "Pooling3D", "Convolution3D", "MatrixBandPart", "GatherND", "DetectionPostProcess", "UnravelIndex", "ScatterNd", "OneHot", "BroadcastTo", "Dilation2D",
    ];

    private static readonly Dictionary<int, string> Explicit = new()
    {
        [128] = "Raster",
        [129] = "ConvertTensor",
        [130] = "ArgMin",
        [131] = "LinSpace",
        [132] = "RandomUniform",
        [133] = "TensorArray",
        [134] = "TensorArraySize",
        [135] = "TensorArrayRead",
        [136] = "TensorArrayWrite",
        [137] = "TensorArrayGather",
        [138] = "TensorArrayScatter",
        [139] = "TensorArraySplit",
        [140] = "TensorArrayConcat",
        [141] = "LSTMBlockCell",
        [142] = "Reverse",
        [256] = "Plugin",
        [257] = "Select",
        [258] = "ZerosLike",
        [259] = "Broastcast",
        [260] = "SetDiff1D",
        [261] = "ReluGrad",
        [262] = "Relu6Grad",
        [263] = "PoolGrad",
        [264] = "SoftmaxGrad",
        [265] = "Conv2DBackPropFilter",
        [266] = "TrainableParam",
        [267] = "BatchNorm",
        [268] = "ZeroGrad",
        [512] = "Extra",
        [513] = "ConvInt8",
        [514] = "Int8ToFloat",
        [515] = "DepthwiseConvInt8",
        [516] = "PoolInt8",
        [517] = "FloatToInt8",
        [518] = "EltwiseInt8",
        [600] = "While",
        [601] = "If",
        [603] = "LayerNorm",
        [604] = "GridSample",
    };

    public static string Name(int type) =>
        (uint)type < (uint)Sequential.Length ? Sequential[type] : Explicit.GetValueOrDefault(type, $"OpType{type}");
}
