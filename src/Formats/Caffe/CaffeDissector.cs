// Spec: Caffe NetParameter / LayerParameter / V1LayerParameter, BVLC caffe src/caffe/proto/caffe.proto; output
// sizes per src/caffe/layers/conv_layer.cpp and pooling_layer.cpp. Prototxt is protobuf text format, caffemodel binary.
using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.Protobuf;
using GaugeNN.Formats.Text;

namespace GaugeNN.Formats.Caffe;

/// <summary>
/// Dissects a Caffe network: layer histogram (types exactly as written), declared inputs, and, when the inputs
/// declare their dims, shapes propagated layer by layer so that Convolution and InnerProduct MACs and weights are
/// known; a layer whose input shape is unknown counts in MACs-unknown. A binary caffemodel gives layer types and
/// params from its stored blobs.
/// </summary>
internal static class CaffeDissector
{
    private const string Format = "caffe";

    public static ModelFacts Dissect(ReadOnlySpan<byte> bytes)
    {
        string? text = TextLines.TryDecode(bytes);
        return text is not null && !CaffeProbe.LooksLikeBinary(bytes) ? DissectText(text) : DissectBinary(bytes);
    }

    private static ModelFacts DissectText(string text)
    {
        var net = ProtoText.Parse(text);
        var facts = new ModelFacts(Format);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        facts.Metadata["net_name"] = net.Scalar("name") ?? "";
        facts.Names.Add(net.Scalar("name") ?? "");
        DeclareNetInputs(net, facts, shapes);

        int legacy = 0;
        string? lastType = null;
        foreach (var (key, _, layer) in net.Fields)
        {
            if (layer is null || key is not ("layer" or "layers")) continue;
            if (key == "layers") legacy++;
            string type = layer.Scalar("type") ?? "";
            lastType = type;
            facts.Layers++;
            facts.Ops.Add(type);
            facts.Names.Add(layer.Scalar("name") ?? "");
            HashLayer(layer, facts.Structure);
            var bottoms = layer.Scalars("bottom").ToList();
            var tops = layer.Scalars("top").ToList();
            var input = bottoms.Count > 0 && shapes.TryGetValue(bottoms[0], out var s) ? s : null;
            long[]? output = PropagateOrUnknown(Normalize(type), layer, input, bottoms, shapes, facts);
            if (Normalize(type) == "input")
            {
                var declared = layer.Message("input_param")?.Messages("shape").ToList() ?? [];
                for (int i = 0; i < tops.Count; i++)
                {
                    var dims = i < declared.Count ? declared[i].Scalars("dim").Select(ParseDim).ToArray() : null;
                    if (dims is null) continue;
                    shapes[tops[i]] = dims;
                    facts.Inputs.Add(TensorSpec.Of(tops[i], dims.Select(d => (long?)d).ToList(), "FLOAT32"));
                }
                continue;
            }
            foreach (string top in tops)
            {
                if (output is not null) shapes[top] = output;
                else shapes.Remove(top);
            }
        }
        facts.Metadata["legacy_layers_blocks"] = legacy.ToString(CultureInfo.InvariantCulture);
        if (lastType is not null) facts.Metadata["last_layer"] = lastType;
        return facts;
    }

    private static void DeclareNetInputs(TextMessage net, ModelFacts facts, Dictionary<string, long[]> shapes)
    {
        var names = net.Scalars("input").ToList();
        var flatDims = net.Scalars("input_dim").Select(ParseDim).ToList();
        var inputShapes = net.Messages("input_shape").ToList();
        for (int i = 0; i < names.Count; i++)
        {
            long[]? dims = i < inputShapes.Count ? inputShapes[i].Scalars("dim").Select(ParseDim).ToArray()
                : flatDims.Count >= 4 * (i + 1) ? flatDims.Skip(4 * i).Take(4).ToArray() : null;
            if (dims is not null) shapes[names[i]] = dims;
            facts.Inputs.Add(TensorSpec.Of(names[i], dims?.Select(d => (long?)d).ToList() ?? [], "FLOAT32"));
        }
    }

    private static long ParseDim(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long d) && d >= 0 ? d
            : throw new MalformedModelException(Format, 0, "dim", $"'{value}' is not a dimension");

    /// <summary>Lower-case type without underscores, so "InnerProduct" and legacy "INNER_PRODUCT" compare equal.</summary>
    private static string Normalize(string type) => type.Replace("_", "").ToLowerInvariant();

    /// <summary>Best effort: a layer whose shape arithmetic overflows has no output shape and, if it counts, unknown MACs.</summary>
    private static long[]? PropagateOrUnknown(string type, TextMessage layer, long[]? input, List<string> bottoms,
        Dictionary<string, long[]> shapes, ModelFacts facts)
    {
        try
        {
            return Propagate(type, layer, input, bottoms, shapes, facts);
        }
        catch (OverflowException)
        {
            if (type is "convolution" or "innerproduct") Unknown(facts, layer, "shape arithmetic overflows");
            return null;
        }
    }

    private static void Unknown(ModelFacts facts, TextMessage layer, string reason) =>
        facts.UnknownMacs(layer.Scalar("name") ?? "", layer.Scalar("type") ?? "", reason);

    private static long[]? Propagate(string type, TextMessage layer, long[]? input, List<string> bottoms,
        Dictionary<string, long[]> shapes, ModelFacts facts)
    {
        switch (type)
        {
            case "convolution":
                var conv = layer.Message("convolution_param");
                if (conv is null) { Unknown(facts, layer, "no convolution_param"); return null; }
                if (input is not { Length: 4 }) { Unknown(facts, layer, InputUnknown(input, bottoms)); return null; }
                return Convolution(conv, layer, input, facts);
            case "innerproduct":
                var ip = layer.Message("inner_product_param");
                long outputs = ip?.Long("num_output") ?? 0;
                if (outputs <= 0) { Unknown(facts, layer, "num_output is not positive"); return null; }
                if (input is null) { Unknown(facts, layer, InputUnknown(input, bottoms)); return null; }
                int axis = (int)(ip!.Long("axis") ?? 1);
                if (axis < 0) axis += input.Length;
                if (axis < 0 || axis > input.Length) { Unknown(facts, layer, $"axis {axis} is outside the input's rank"); return null; }
                long k = input[axis..].Aggregate(1L, (p, d) => p * d);
                long batch = input[..axis].Aggregate(1L, (p, d) => p * d);
                facts.Macs += batch * outputs * k;
                AddWeights(facts, outputs * k + (ip.Scalar("bias_term") == "false" ? 0 : outputs));
                return [.. input[..axis], outputs];
            case "pooling":
                return input is { Length: 4 } ? Pooling(layer.Message("pooling_param"), input) : null;
            case "relu" or "dropout" or "lrn" or "batchnorm" or "scale" or "sigmoid" or "tanh" or "prelu" or "softmax"
                or "power" or "bnll" or "absval" or "elu" or "split" or "eltwise" or "bias" or "mvn" or "exp" or "log":
                return input;
            case "concat":
                var inputs = bottoms.Select(b => shapes.GetValueOrDefault(b)).ToList();
                if (inputs.Count == 0 || inputs.Any(i => i is null || i.Length != inputs[0]!.Length)) return null;
                int concatAxis = (int)(layer.Message("concat_param")?.Long("axis") ?? 1);
                if (concatAxis < 0) concatAxis += inputs[0]!.Length;
                if (concatAxis < 0 || concatAxis >= inputs[0]!.Length) return null;
                var result = (long[])inputs[0]!.Clone();
                result[concatAxis] = inputs.Sum(i => i![concatAxis]);
                return result;
            case "flatten":
                return input is { Length: >= 2 } ? [input[0], input[1..].Aggregate(1L, (p, d) => p * d)] : null;
            default:
                return null;
        }
    }

    private static string InputUnknown(long[]? input, List<string> bottoms) => input is null
        ? $"the shape of input '{(bottoms.Count > 0 ? bottoms[0] : "")}' is unknown (no declared input dims reach it)"
        : $"input '{bottoms[0]}' has rank {input.Length}, not 4";

    private static long[]? Convolution(TextMessage conv, TextMessage layer, long[] input, ModelFacts facts)
    {
        long outputs = conv.Long("num_output") ?? 0;
        long group = conv.Long("group") ?? 1;
        var kernel = conv.Scalars("kernel_size").Select(ParseDim).ToList();
        long kh = conv.Long("kernel_h") ?? (kernel.Count > 0 ? kernel[0] : 0);
        long kw = conv.Long("kernel_w") ?? (kernel.Count > 1 ? kernel[1] : kernel.Count > 0 ? kernel[0] : 0);
        var (sh, sw) = Pair(conv, "stride", 1);
        var (ph, pw) = Pair(conv, "pad", 0);
        var dilation = conv.Scalars("dilation").Select(ParseDim).ToList();
        long dh = dilation.Count > 0 ? dilation[0] : 1, dw = dilation.Count > 1 ? dilation[1] : dh;
        if (outputs <= 0 || group <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || input[1] % group != 0)
        {
            Unknown(facts, layer, "convolution_param is not a valid convolution for its input");
            return null;
        }
        long oh = (input[2] + 2 * ph - (dh * (kh - 1) + 1)) / sh + 1;
        long ow = (input[3] + 2 * pw - (dw * (kw - 1) + 1)) / sw + 1;
        long weights = outputs * (input[1] / group) * kh * kw;
        facts.Macs += input[0] * oh * ow * weights;
        AddWeights(facts, weights + (conv.Scalar("bias_term") == "false" ? 0 : outputs));
        return [input[0], outputs, oh, ow];
    }

    private static long[] Pooling(TextMessage? pool, long[] input)
    {
        if (pool?.Scalar("global_pooling") == "true") return [input[0], input[1], 1, 1];
        long k = pool?.Long("kernel_size") ?? 0;
        long kh = pool?.Long("kernel_h") ?? k, kw = pool?.Long("kernel_w") ?? k;
        long s = pool?.Long("stride") ?? 1;
        long sh = pool?.Long("stride_h") ?? s, sw = pool?.Long("stride_w") ?? s;
        long p = pool?.Long("pad") ?? 0;
        long ph = pool?.Long("pad_h") ?? p, pw = pool?.Long("pad_w") ?? p;
        if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0) return [input[0], input[1], 1, 1];
        return [input[0], input[1], PooledSize(input[2], kh, sh, ph), PooledSize(input[3], kw, sw, pw)];
    }

    /// <summary>Caffe pools with ceiling division, then drops a last window that would start inside the padding.</summary>
    private static long PooledSize(long size, long kernel, long stride, long pad)
    {
        long pooled = (long)Math.Ceiling((double)(size + 2 * pad - kernel) / stride) + 1;
        if (pad > 0 && (pooled - 1) * stride >= size + pad) pooled--;
        return pooled;
    }

    private static (long, long) Pair(TextMessage conv, string name, long fallback)
    {
        var values = conv.Scalars(name).Select(ParseDim).ToList();
        long first = values.Count > 0 ? values[0] : fallback;
        long second = values.Count > 1 ? values[1] : first;
        return (conv.Long(name + "_h") ?? first, conv.Long(name + "_w") ?? second);
    }

    private static void AddWeights(ModelFacts facts, long count)
    {
        facts.Params += count;
        facts.WeightDtypes.Add("FLOAT32", count);
    }

    private static void HashLayer(TextMessage layer, StructureHash hash)
    {
        foreach (var (key, scalar, message) in layer.Fields)
        {
            if (key == "name") continue;
            hash.Add(key);
            if (scalar is not null && key is "bottom" or "top") hash.AddName(scalar);
            else if (scalar is not null) hash.Add(scalar);
            else if (message is not null) HashLayer(message, hash);
        }
    }

    private static ModelFacts DissectBinary(ReadOnlySpan<byte> bytes)
    {
        var facts = new ModelFacts(Format);
        var reader = new ProtoReader(bytes, Format);
        int legacy = 0;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == CaffeFields.Net.Name && wire == WireType.LengthDelimited)
                facts.Metadata["net_name"] = reader.ReadString("NetParameter.name");
            else if (field is CaffeFields.Net.Layer or CaffeFields.Net.LegacyLayers && wire == WireType.LengthDelimited)
            {
                bool isLegacy = field == CaffeFields.Net.LegacyLayers;
                if (isLegacy) legacy++;
                var layer = reader.ReadMessage("layer");
                ReadBinaryLayer(ref layer, isLegacy, facts);
            }
            else if (field == CaffeFields.Net.Input && wire == WireType.LengthDelimited)
                facts.Inputs.Add(TensorSpec.Of(reader.ReadString("NetParameter.input"), [], "FLOAT32"));
            else
                reader.Skip(wire, "NetParameter field");
        }
        if (facts.Layers == 0) throw reader.Fail("layer", "the net has no layers");
        facts.Metadata["legacy_layers_blocks"] = legacy.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["encoding"] = "caffemodel";
        return facts;
    }

    private static void ReadBinaryLayer(ref ProtoReader layer, bool legacy, ModelFacts facts)
    {
        string type = "", name = "";
        int nameField = legacy ? CaffeFields.LegacyLayer.Name : CaffeFields.Layer.Name;
        int typeField = legacy ? CaffeFields.LegacyLayer.Type : CaffeFields.Layer.Type;
        int blobsField = legacy ? CaffeFields.LegacyLayer.Blobs : CaffeFields.Layer.Blobs;
        while (layer.TryReadTag(out int field, out var wire))
        {
            if (field == nameField && wire == WireType.LengthDelimited) name = layer.ReadString("name");
            else if (field == typeField && !legacy && wire == WireType.LengthDelimited) type = layer.ReadString("type");
            else if (field == typeField && legacy && wire == WireType.Varint) type = CaffeLegacyTypes.Name(layer.ReadInt32("type"));
            else if (field == blobsField && wire == WireType.LengthDelimited)
            {
                var blob = layer.ReadMessage("blobs");
                AddWeights(facts, BlobElements(ref blob));
            }
            else layer.Skip(wire, "layer field");
        }
        facts.Layers++;
        facts.Ops.Add(type);
        facts.Structure.Add(type);
        if (Normalize(type) is "convolution" or "innerproduct")
            facts.UnknownMacs(name, type, "a caffemodel declares no input dims to propagate");
    }

    private static long BlobElements(ref ProtoReader blob)
    {
        long num = 1, channels = 1, height = 1, width = 1;
        List<long>? shape = null;
        while (blob.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case CaffeFields.Blob.Num when wire == WireType.Varint: num = blob.ReadInt64("num"); break;
                case CaffeFields.Blob.Channels when wire == WireType.Varint: channels = blob.ReadInt64("channels"); break;
                case CaffeFields.Blob.Height when wire == WireType.Varint: height = blob.ReadInt64("height"); break;
                case CaffeFields.Blob.Width when wire == WireType.Varint: width = blob.ReadInt64("width"); break;
                case CaffeFields.Blob.Shape when wire == WireType.LengthDelimited:
                    shape = [];
                    var shapeReader = blob.ReadMessage("shape");
                    while (shapeReader.TryReadTag(out int dimField, out var dimWire))
                    {
                        if (dimField != CaffeFields.BlobShape.Dim) { shapeReader.Skip(dimWire, "BlobShape field"); continue; }
                        if (dimWire == WireType.Varint) shape.Add(shapeReader.ReadInt64("dim"));
                        else
                        {
                            var packed = shapeReader.ReadMessage("dim");
                            while (!packed.AtEnd) shape.Add(packed.ReadInt64("dim"));
                        }
                    }
                    break;
                default: blob.Skip(wire, "BlobProto field"); break;
            }
        }
        var dims = shape ?? [num, channels, height, width];
        long elements = 1;
        foreach (long d in dims)
        {
            if (d < 0 || (d != 0 && elements > int.MaxValue * 16L / d)) throw blob.Fail("shape", "blob is impossibly large");
            elements *= d;
        }
        return elements;
    }
}

/// <summary>V1LayerParameter.LayerType enum names from caffe.proto, for legacy binary models.</summary>
internal static class CaffeLegacyTypes
{
    private static readonly string[] Names =
    [
        "NONE", "ACCURACY", "BNLL", "CONCAT", "CONVOLUTION", "DATA", "DROPOUT", "EUCLIDEAN_LOSS", "FLATTEN", "HDF5_DATA",
        "HDF5_OUTPUT", "IM2COL", "IMAGE_DATA", "INFOGAIN_LOSS", "INNER_PRODUCT", "LRN", "MULTINOMIAL_LOGISTIC_LOSS",
        "POOLING", "RELU", "SIGMOID", "SOFTMAX", "SOFTMAX_LOSS", "SPLIT", "TANH", "WINDOW_DATA", "ELTWISE", "POWER",
        "SIGMOID_CROSS_ENTROPY_LOSS", "HINGE_LOSS", "MEMORY_DATA", "ARGMAX", "THRESHOLD", "DUMMY_DATA", "SLICE", "MVN",
        "ABSVAL", "SILENCE", "CONTRASTIVE_LOSS", "EXP", "DECONVOLUTION",
    ];

    public static string Name(int type) => (uint)type < (uint)Names.Length ? Names[type] : $"LAYER_TYPE_{type}";
}
