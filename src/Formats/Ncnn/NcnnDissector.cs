// Spec: ncnn param format, https://github.com/Tencent/ncnn/wiki/param-and-model-file-structure, and
// src/net.cpp (load_param / load_param_bin), src/paramdict.cpp (k=v, arrays as -23300-k, shape hints -23330).
using System.Buffers.Binary;
using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.Text;

namespace GaugeNN.Formats.Ncnn;

/// <summary>
/// Dissects an ncnn network description (.param text or .param.bin binary): layer types, declared and parsed
/// counts, produced blobs, Input layers. Params come from each layer's declared weight_data_size plus its bias; MACs
/// of convolutions and InnerProduct use the output shape hint (-23330) when the converter wrote one, else the shape
/// propagated from the Input layers (<see cref="NcnnShapes"/>), and count the layer unknown when neither exists.
/// </summary>
internal static class NcnnDissector
{
    private const string Format = "ncnn";
    private const int ArrayKeyBase = -23300;
    private const int EndOfParams = -233;
    private const int ShapeHintKey = -23330;
    private const int MaxArrayLength = 4096;
    private const int MaxBlobsPerLayer = 65536;

    private sealed record Layer(string Type, string Name, List<string> Bottoms, List<string> Tops, List<(int Key, string Value)> Params);

    public static ModelFacts Dissect(ReadOnlySpan<byte> bytes)
    {
        bool binary = bytes.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(bytes) == NcnnProbe.Magic;
        var (layerCount, blobCount, layers) = binary ? ReadBinary(bytes) : ReadText(bytes);
        var facts = new ModelFacts(Format);
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var shapes = new NcnnShapes();
        foreach (var layer in layers)
        {
            facts.Layers++;
            facts.Ops.Add(layer.Type);
            foreach (string top in layer.Tops) produced.Add(top);
            facts.Structure.Add(layer.Type);
            foreach (string blob in layer.Bottoms) facts.Structure.AddName(blob);
            facts.Structure.Add("->");
            foreach (string blob in layer.Tops) facts.Structure.AddName(blob);
            foreach (var (key, value) in layer.Params)
            {
                facts.Structure.Add(key);
                facts.Structure.Add(value);
            }
            facts.Names.Add(layer.Name);
            if (layer.Type == "Input" && layer.Tops.Count > 0)
            {
                facts.Inputs.Add(TensorSpec.Of(layer.Tops[0], InputShape(layer), "FLOAT32"));
                facts.Metadata[$"input.{layer.Tops[0]}.params"] = string.Join(';', layer.Params.Select(p => $"{p.Key}={p.Value}"));
            }
            AddWeightsAndMacs(layer, facts, shapes);
        }
        facts.Metadata["encoding"] = binary ? "param.bin" : "param";
        facts.Metadata["layer_count_declared"] = layerCount.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["blob_count_declared"] = blobCount.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["distinct_blobs_produced"] = produced.Count.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["layer_count_matches"] = (layerCount == layers.Count).ToString();
        facts.Metadata["blob_count_matches"] = (blobCount == produced.Count).ToString();
        if (layers.Count > 0) facts.Metadata["last_layer"] = layers[^1].Type;
        return facts;
    }

    /// <summary>Input params 0=w, 1=h, 2=c, reported as [1, c, h, w] with absent dims unknown.</summary>
    private static List<long?> InputShape(Layer layer)
    {
        long? Get(int key) => layer.Params.FirstOrDefault(p => p.Key == key).Value is { } v && long.TryParse(v, CultureInfo.InvariantCulture, out long n) && n > 0 ? n : null;
        return [1, Get(2), Get(1), Get(0)];
    }

    private static void AddWeightsAndMacs(Layer layer, ModelFacts facts, NcnnShapes shapes)
    {
        string? Param(int key) => layer.Params.FirstOrDefault(p => p.Key == key).Value;
        var input = layer.Bottoms.Count > 0 ? shapes.Shape(layer.Bottoms[0]) : null;
        shapes.Propagate(layer.Type, layer.Bottoms, layer.Tops, key => NcnnShapes.Integer(Param(key)));
        if (layer.Type is not ("Convolution" or "ConvolutionDepthWise" or "InnerProduct" or "Deconvolution"
            or "DeconvolutionDepthWise")) return;
        // Param ids per layer (ncnn src/layer/*.cpp load_param): InnerProduct 0=num_output 1=bias_term
        // 2=weight_data_size 8=int8_scale_term; convolutions 0=num_output 5=bias_term 6=weight_data_size 8=int8.
        bool innerProduct = layer.Type == "InnerProduct";
        long weights = NcnnShapes.Integer(Param(innerProduct ? 2 : 6)) is >= 0 and var w ? w : 0;
        long outputs = NcnnShapes.Integer(Param(0)) is >= 0 and var o ? o : 0;
        bool bias = Param(innerProduct ? 1 : 5) == "1";
        bool int8 = Param(8) is { } scale && scale != "0";
        facts.Params += weights + (bias ? outputs : 0);
        facts.WeightDtypes.Add(int8 ? "INT8" : "FLOAT32", weights);
        if (bias) facts.WeightDtypes.Add("FLOAT32", outputs);
        if (int8) facts.Quantized = true;

        if (innerProduct)
        {
            facts.Macs += weights;
            return;
        }
        // Each output pixel of a convolution multiplies every weight once; a deconvolution does so per input pixel.
        var spatial = layer.Type.StartsWith("Deconvolution", StringComparison.Ordinal) ? input
            : HintedOutput(Param(ShapeHintKey)) ?? (layer.Tops.Count > 0 ? shapes.Shape(layer.Tops[0]) : null);
        long? macs = spatial is { } shape && weights <= long.MaxValue / shape.H / shape.W ? weights * shape.H * shape.W : null;
        if (spatial is not null && macs is null) facts.UnknownMacs(layer.Name, layer.Type, "MACs overflow 64 bits");
        else if (macs is { } value) facts.AddMacs(value);
        else facts.UnknownMacs(layer.Name, layer.Type, layer.Bottoms.Count > 0
            ? $"the shape of blob '{(layer.Type.StartsWith("Deconvolution", StringComparison.Ordinal) ? layer.Bottoms[0] : layer.Tops.FirstOrDefault())}' is unknown (no Input dims or shape hint reach it)"
            : "the layer has no input blob");
    }

    /// <summary>The converter's output shape hint: the array count, then dims, w, h, (d,) c; 3-D hints only.</summary>
    private static NcnnShape? HintedOutput(string? hint)
    {
        var values = hint?.Split(',');
        return values is { Length: >= 5 } && values[1] == "3" && NcnnShapes.Integer(values[2]) is > 0 and var w
               && NcnnShapes.Integer(values[3]) is > 0 and var h && NcnnShapes.Integer(values[4]) is > 0 and var c
            ? new NcnnShape(c, h, w)
            : null;
    }

    private static (int, int, List<Layer>) ReadText(ReadOnlySpan<byte> bytes)
    {
        string text = TextLines.TryDecode(bytes) ?? throw new MalformedModelException(Format, 0, "param", "not UTF-8 text");
        var lines = text.Split('\n');
        if (lines[0].TrimEnd('\r') != NcnnProbe.Magic.ToString(CultureInfo.InvariantCulture))
            throw new MalformedModelException(Format, 0, "magic", "the first line is not 7767517");
        var counts = lines.Length > 1 ? Tokens(lines[1]) : [];
        if (counts.Length != 2 || !int.TryParse(counts[0], CultureInfo.InvariantCulture, out int layerCount)
            || !int.TryParse(counts[1], CultureInfo.InvariantCulture, out int blobCount) || layerCount < 0 || blobCount < 0)
            throw new MalformedModelException(Format, 8, "layer_count", "the second line is not two counts");
        var layers = new List<Layer>();
        long offset = 0;
        for (int i = 2; i < lines.Length; i++)
        {
            offset += lines[i - 1].Length + 1;
            var tokens = Tokens(lines[i]);
            if (tokens.Length == 0) continue;
            if (tokens.Length < 4 || !int.TryParse(tokens[2], CultureInfo.InvariantCulture, out int bottoms)
                || !int.TryParse(tokens[3], CultureInfo.InvariantCulture, out int tops) || bottoms < 0 || tops < 0
                || (long)bottoms + tops > tokens.Length - 4)
                throw new MalformedModelException(Format, offset, "layer", $"line {i + 1} is not 'type name bottoms tops ...'");
            var parameters = new List<(int, string)>();
            foreach (string pair in tokens.Skip(4 + bottoms + tops))
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0 || !int.TryParse(pair.AsSpan(0, equals), CultureInfo.InvariantCulture, out int key))
                    throw new MalformedModelException(Format, offset, "param", $"'{pair}' on line {i + 1} is not k=v");
                parameters.Add((key, pair[(equals + 1)..]));
            }
            layers.Add(new Layer(tokens[0], tokens[1], tokens[4..(4 + bottoms)].ToList(),
                tokens[(4 + bottoms)..(4 + bottoms + tops)].ToList(), parameters));
        }
        return (layerCount, blobCount, layers);
    }

    private static string[] Tokens(string line) => line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static (int, int, List<Layer>) ReadBinary(ReadOnlySpan<byte> bytes)
    {
        int position = 4;
        int Next(ReadOnlySpan<byte> data, string field)
        {
            if (data.Length - position < 4) throw new MalformedModelException(Format, position, field, "runs past the end");
            int value = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += 4;
            return value;
        }
        int layerCount = Next(bytes, "layer_count");
        int blobCount = Next(bytes, "blob_count");
        // Each layer needs at least typeindex, two counts and the end marker: 16 bytes.
        if (layerCount < 0 || blobCount < 0 || layerCount > (bytes.Length - position) / 16)
            throw new MalformedModelException(Format, 4, "layer_count", $"{layerCount} layers cannot fit in {bytes.Length} bytes");
        var layers = new List<Layer>(layerCount);
        for (int i = 0; i < layerCount; i++)
        {
            int type = Next(bytes, "typeindex");
            int bottoms = Next(bytes, "bottom_count");
            int tops = Next(bytes, "top_count");
            if (bottoms < 0 || tops < 0 || bottoms > MaxBlobsPerLayer || tops > MaxBlobsPerLayer
                || (long)(bottoms + tops) * 4 > bytes.Length - position)
                throw new MalformedModelException(Format, position, "blob_count", "blob counts run past the end");
            var bottomNames = new List<string>(bottoms);
            for (int b = 0; b < bottoms; b++) bottomNames.Add(Blob(Next(bytes, "bottom"), blobCount, position));
            var topNames = new List<string>(tops);
            for (int t = 0; t < tops; t++) topNames.Add(Blob(Next(bytes, "top"), blobCount, position));
            var parameters = new List<(int, string)>();
            while (true)
            {
                int key = Next(bytes, "param id");
                if (key == EndOfParams) break;
                if (key <= ArrayKeyBase)
                {
                    int length = Next(bytes, "array length");
                    if (length < 0 || length > MaxArrayLength || (long)length * 4 > bytes.Length - position)
                        throw new MalformedModelException(Format, position, "array length", $"array of {length} runs past the end");
                    var values = new string[length];
                    for (int v = 0; v < length; v++) values[v] = Next(bytes, "array value").ToString(CultureInfo.InvariantCulture);
                    // Written as the text format writes arrays: the count first, then the values.
                    parameters.Add((key, string.Join(',', values.Prepend(length.ToString(CultureInfo.InvariantCulture)))));
                }
                else
                    parameters.Add((key, Next(bytes, "param value").ToString(CultureInfo.InvariantCulture)));
            }
            layers.Add(new Layer(NcnnLayerTypes.Name(type), $"layer{i}", bottomNames, topNames, parameters));
        }
        return (layerCount, blobCount, layers);
    }

    private static string Blob(int index, int blobCount, int position) =>
        index >= 0 && index < blobCount ? $"blob{index}"
            : throw new MalformedModelException(Format, position, "blob index", $"blob {index} is not among {blobCount}");
}
