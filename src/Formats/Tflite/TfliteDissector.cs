// Spec: TensorFlow Lite FlatBuffer schema, schemas/tflite/schema.fbs; TFLite Metadata, tensorflow/lite/schema/
// metadata_schema.fbs (ModelMetadata, identifier "M001"); metrics per tests/fixtures/DEFINITIONS.md.
using System.Text;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.FlatBuffers;
using S = GaugeNN.Formats.Tflite.TfliteSchema;

namespace GaugeNN.Formats.Tflite;

/// <summary>
/// Dissects a TFLite model: operators of every subgraph (code = max(deprecated_builtin_code, builtin_code), CUSTOM
/// keyed by its custom code), constant tensors, quantization, sparsity, MACs of CONV_2D / DEPTHWISE_CONV_2D /
/// FULLY_CONNECTED / TRANSPOSE_CONV / BATCH_MATMUL from declared shapes, subgraph 0's inputs and outputs, and the
/// metadata table. The model is first walked whole (<see cref="TfliteWalker"/>), so a broken one fails up front.
/// </summary>
internal static class TfliteDissector
{
    private const string MinRuntimeVersion = "min_runtime_version";
    private const string MetadataEntryName = "TFLITE_METADATA";
    private const int MaxMetadataText = 1024;
    private const int MaxRank = 64;

    private sealed record Tensor(int[]? Shape, int Type, bool Constant);

    public static ModelFacts Dissect(ReadOnlyMemory<byte> bytes)
    {
        TfliteWalker.Walk(bytes);
        var buffer = new FlatBuffer(bytes, "tflite");
        var model = buffer.Root("Model");
        var facts = new ModelFacts("tflite");

        var opNames = ReadOperatorCodes(model, out var isCustom);
        var customOps = new Histogram();
        var buffers = model.Vector(S.Model.Buffers, 4, "Model.buffers");
        var bufferHasData = new bool[buffers.Count];
        for (int i = 0; i < buffers.Count; i++)
        {
            var entry = buffers.Table(i);
            bufferHasData[i] = entry.Vector(S.Buffer.Data, 1, "Buffer.data").Count > 0
                               || entry.UInt64(S.Buffer.Offset, "Buffer.offset") > 1;
        }

        int quantizedTensors = 0, sparseConstants = 0;
        long sparseStoredValues = 0;
        var subgraphs = model.Vector(S.Model.Subgraphs, 4, "Model.subgraphs");
        var subgraphSummary = new List<string>();
        for (int g = 0; g < subgraphs.Count; g++)
        {
            var subgraph = subgraphs.Table(g);
            var tensorVector = subgraph.Vector(S.SubGraph.Tensors, 4, "SubGraph.tensors");
            var tensors = new Tensor[tensorVector.Count];
            facts.Structure.Add(tensors.Length);
            for (int t = 0; t < tensors.Length; t++)
            {
                var tensor = tensorVector.Table(t);
                var shape = ReadInts(tensor.Vector(S.Tensor.Shape, 4, "Tensor.shape"));
                int type = tensor.SByte(S.Tensor.Type, "Tensor.type");
                uint bufferIndex = tensor.UInt32(S.Tensor.Buffer, "Tensor.buffer");
                bool constant = bufferIndex < bufferHasData.Length && bufferHasData[bufferIndex];
                tensors[t] = new Tensor(shape, type, constant);
                bool quantized = IsQuantized(tensor);
                if (quantized) quantizedTensors++;
                bool sparse = tensor.Table(S.Tensor.Sparsity, "Tensor.sparsity") is not null;
                if (constant)
                {
                    long elements = Elements(buffer, shape, tensor.Position);
                    facts.Params += elements;
                    facts.WeightDtypes.Add(S.TensorTypeName(type), elements);
                    if (sparse)
                    {
                        sparseConstants++;
                        sparseStoredValues += StoredValues(buffers.Table((int)bufferIndex), type);
                    }
                }
                facts.Structure.Add(type);
                facts.Structure.Add(constant ? 1 : 0);
                facts.Structure.Add(quantized ? 1 : 0);
                foreach (int d in shape ?? []) facts.Structure.Add(d);
                facts.Structure.Add(-1);
            }

            var operators = subgraph.Vector(S.SubGraph.Operators, 4, "SubGraph.operators");
            facts.Layers += operators.Count;
            for (int o = 0; o < operators.Count; o++)
            {
                uint code = ReadOperator(buffer, operators.Table(o), opNames, tensors, tensorVector, facts);
                if (isCustom[code]) customOps.Add(opNames[code]);
            }
            subgraphSummary.Add($"{operators.Count}/{tensors.Length}");
            if (subgraph.String(S.SubGraph.Name, "SubGraph.name") is { Length: > 0 } name) facts.Names.Add(name);

            if (g == 0)
            {
                facts.Inputs.AddRange(ReadSignature(subgraph, tensorVector, S.SubGraph.Inputs, "SubGraph.inputs"));
                facts.Outputs.AddRange(ReadSignature(subgraph, tensorVector, S.SubGraph.Outputs, "SubGraph.outputs"));
            }
        }

        facts.Quantized = quantizedTensors > 0;
        var meta = facts.Metadata;
        meta["version"] = model.UInt32(S.Model.Version, "Model.version").ToString();
        if (model.String(S.Model.Description, "Model.description") is { } description)
        {
            meta["description"] = description;
            facts.Names.Add(description);
        }
        meta["operator_codes_count"] = opNames.Length.ToString();
        meta["subgraphs"] = string.Join(',', subgraphSummary);
        meta["custom_ops"] = string.Join(',', customOps.ToList().Select(p => $"{p.Name}={p.Count}"));
        meta["quantized_tensor_count"] = quantizedTensors.ToString();
        meta["sparse_constant_tensors"] = sparseConstants.ToString();
        if (sparseConstants > 0) meta["sparse_stored_values"] = sparseStoredValues.ToString();
        meta["signature_defs"] = model.Vector(S.Model.SignatureDefs, 4, "Model.signature_defs").Count.ToString();
        ReadMetadata(model, buffers, bytes, meta);
        foreach (var input in facts.Inputs) facts.Names.Add(input.Name);
        foreach (var output in facts.Outputs) facts.Names.Add(output.Name);
        return facts;
    }

    private static string[] ReadOperatorCodes(FlatTable model, out bool[] isCustom)
    {
        var codes = model.Vector(S.Model.OperatorCodes, 4, "Model.operator_codes");
        var names = new string[codes.Count];
        isCustom = new bool[codes.Count];
        for (int i = 0; i < codes.Count; i++)
        {
            var code = codes.Table(i);
            int deprecated = code.SByte(S.OperatorCode.DeprecatedBuiltinCode, "OperatorCode.deprecated_builtin_code");
            int builtin = code.Int32(S.OperatorCode.BuiltinCode, "OperatorCode.builtin_code");
            int resolved = Math.Max(deprecated, builtin);
            isCustom[i] = resolved == S.CustomOperator;
            names[i] = resolved == S.CustomOperator
                ? code.String(S.OperatorCode.CustomCode, "OperatorCode.custom_code") ?? "CUSTOM"
                : S.OperatorName(resolved);
        }
        return names;
    }

    /// <summary>Counts one operator and its MACs; returns its operator-code index.</summary>
    private static uint ReadOperator(FlatBuffer buffer, FlatTable op, string[] opNames, Tensor[] tensors, FlatVector tensorNames,
        ModelFacts facts)
    {
        uint index = op.UInt32(S.Operator.OpcodeIndex, "Operator.opcode_index");
        if (index >= opNames.Length)
            throw buffer.Fail(op.Position, "Operator.opcode_index", $"opcode {index} is not among {opNames.Length} codes");
        string name = opNames[index];
        facts.Ops.Add(name);
        var inputs = ReadInts(op.Vector(S.Operator.Inputs, 4, "Operator.inputs")) ?? [];
        var outputs = ReadInts(op.Vector(S.Operator.Outputs, 4, "Operator.outputs")) ?? [];
        foreach (int t in inputs.Concat(outputs))
            if (t < -1 || t >= tensors.Length)
                throw buffer.Fail(op.Position, "Operator.inputs", $"tensor index {t} is out of range");

        facts.Structure.Add(name);
        foreach (int t in inputs) facts.Structure.Add(t);
        facts.Structure.Add(-2);
        foreach (int t in outputs) facts.Structure.Add(t);
        HashOptions(op, S.Operator.BuiltinOptionsType, S.Operator.BuiltinOptions, facts.Structure);
        HashOptions(op, S.Operator.BuiltinOptions2Type, S.Operator.BuiltinOptions2, facts.Structure);

        bool adjX = name == "BATCH_MATMUL" && op.Byte(S.Operator.BuiltinOptionsType, "builtin_options_type") != 0
                    && op.Table(S.Operator.BuiltinOptions, "BatchMatMulOptions") is { } options
                    && options.Bool(0, "BatchMatMulOptions.adj_x");
        long? macs = Macs(name, inputs, outputs, tensors, adjX, out bool counted, out string missing);
        if (counted && macs is { } value) facts.Macs += value;
        else if (counted) facts.UnknownMacs(OperatorLabel(outputs, tensorNames), name, missing);
        return index;
    }

    /// <summary>An operator has no name in TFLite: it is known by its first output tensor's.</summary>
    private static string OperatorLabel(int[] outputs, FlatVector tensors) =>
        outputs.Length > 0 && outputs[0] >= 0 ? tensors.Table(outputs[0]).String(S.Tensor.Name, "Tensor.name") ?? "" : "";

    /// <summary>MACs per DEFINITIONS.md; <paramref name="counted"/> is false for ops that always count 0.</summary>
    private static long? Macs(string op, int[] inputs, int[] outputs, Tensor[] tensors, bool adjX, out bool counted,
        out string missing)
    {
        counted = op is "CONV_2D" or "DEPTHWISE_CONV_2D" or "FULLY_CONNECTED" or "TRANSPOSE_CONV" or "BATCH_MATMUL";
        missing = op switch
        {
            "CONV_2D" or "DEPTHWISE_CONV_2D" => "the output (rank 3 or 4) or 4-D filter shape is absent",
            "FULLY_CONNECTED" => "the output or filter shape is absent",
            "TRANSPOSE_CONV" => "the 4-D weights or input shape is absent",
            _ => "an operand or output shape of rank 2 or more is absent",
        };
        if (!counted) return 0;
        int[]? Shape(int[] list, int i) => i < list.Length && list[i] >= 0 ? tensors[list[i]].Shape : null;
        var output = Shape(outputs, 0);
        switch (op)
        {
            case "CONV_2D" or "DEPTHWISE_CONV_2D":
            {
                var filter = Shape(inputs, 1);
                if (output is null || filter is not { Length: 4 } || output.Length is not (3 or 4)) return null;
                var (n, oh, ow, oc) = output.Length == 4 ? (output[0], output[1], output[2], output[3])
                    : (1, output[0], output[1], output[2]);
                long macs = Dim(n) * Dim(oh) * Dim(ow) * Dim(oc) * Dim(filter[1]) * Dim(filter[2]);
                return op == "CONV_2D" ? macs * Dim(filter[3]) : macs;
            }
            case "FULLY_CONNECTED":
            {
                var filter = Shape(inputs, 1);
                if (output is null || filter is not { Length: >= 2 }) return null;
                return output.Aggregate(1L, (p, d) => p * Dim(d)) * Dim(filter[1]);
            }
            case "TRANSPOSE_CONV":
            {
                var weights = Shape(inputs, 1);
                var input = Shape(inputs, 2);
                if (weights is not { Length: 4 } || input is not { Length: 4 }) return null;
                return Dim(input[0]) * Dim(input[1]) * Dim(input[2]) * Dim(input[3]) * Dim(weights[1]) * Dim(weights[2])
                       * Dim(weights[0]);
            }
            default:
            {
                var x = Shape(inputs, 0);
                if (output is not { Length: >= 2 } || x is not { Length: >= 2 }) return null;
                long batch = output[..^2].Aggregate(1L, (p, d) => p * Dim(d));
                long k = adjX ? Dim(x[^2]) : Dim(x[^1]);
                return batch * Dim(output[^2]) * Dim(output[^1]) * k;
            }
        }
    }

    private static long Dim(int d) => d < 0 ? 1 : d;

    private static bool IsQuantized(FlatTable tensor) =>
        tensor.Table(S.Tensor.Quantization, "Tensor.quantization") is { } q
        && (q.Vector(S.Quantization.Scale, 4, "QuantizationParameters.scale").Count > 0
            || q.Vector(S.Quantization.ZeroPoint, 8, "QuantizationParameters.zero_point").Count > 0);

    private static long StoredValues(FlatTable bufferTable, int type)
    {
        int width = type switch { 0 or 2 or 15 => 4, 1 or 7 or 16 or 18 => 2, 4 or 10 or 12 or 8 => 8, 11 => 16, _ => 1 };
        return bufferTable.Vector(S.Buffer.Data, 1, "Buffer.data").Count / width;
    }

    private static long Elements(FlatBuffer buffer, int[]? shape, int at)
    {
        long elements = 1;
        foreach (int d in shape ?? [])
        {
            if (d < 0) throw buffer.Fail(at, "Tensor.shape", $"constant tensor has dimension {d}");
            elements *= d;
            if (elements > int.MaxValue * 16L) throw buffer.Fail(at, "Tensor.shape", "constant tensor is impossibly large");
        }
        return elements;
    }

    private static int[]? ReadInts(FlatVector vector)
    {
        if (vector.Count == 0) return vector.Start == 0 ? null : [];
        var values = new int[vector.Count];
        for (int i = 0; i < values.Length; i++) values[i] = vector.Int32(i);
        return values;
    }

    private static IEnumerable<TensorSpec> ReadSignature(FlatTable subgraph, FlatVector tensors, int field, string name)
    {
        var indexes = subgraph.Vector(field, 4, name);
        var specs = new List<TensorSpec>(indexes.Count);
        for (int i = 0; i < indexes.Count; i++)
        {
            int index = indexes.Int32(i);
            if ((uint)index >= (uint)tensors.Count) throw new MalformedModelException("tflite", indexes.Start, name, $"tensor {index} is out of range");
            var tensor = tensors.Table(index);
            var shape = ReadInts(tensor.Vector(S.Tensor.Shape, 4, "Tensor.shape")) ?? [];
            if (shape.Length > MaxRank) throw new MalformedModelException("tflite", tensor.Position, "Tensor.shape", "rank is too large");
            specs.Add(TensorSpec.Of(tensor.String(S.Tensor.Name, "Tensor.name") ?? "",
                shape.Select(d => d < 0 ? (long?)null : d).ToList(),
                S.TensorTypeName(tensor.SByte(S.Tensor.Type, "Tensor.type"))));
        }
        return specs;
    }

    private static void HashOptions(FlatTable op, int typeSlot, int valueSlot, StructureHash hash)
    {
        int type = op.Byte(typeSlot, "options_type");
        hash.Add(type);
        if (type == 0 || op.Table(valueSlot, "options") is not { } options) return;
        int union = typeSlot == S.Operator.BuiltinOptionsType ? S.BuiltinOptionsUnion : S.BuiltinOptions2Union;
        var members = S.UnionMembers[union];
        if (type > members.Length) return;
        var layout = S.Tables[members[type - 1]];
        for (int slot = 0; slot < layout.Length; slot++)
        {
            if (layout[slot].Kind == FieldKind.Scalar) hash.Add(options.Scalar(slot, layout[slot].Width, layout[slot].Name));
            else if (layout[slot].Kind == FieldKind.ScalarVector) hash.Add(options.Vector(slot, layout[slot].Width, layout[slot].Name).Bytes);
        }
    }

    private static void ReadMetadata(FlatTable model, FlatVector buffers, ReadOnlyMemory<byte> file, SortedDictionary<string, string> meta)
    {
        var entries = model.Vector(S.Model.Metadata, 4, "Model.metadata");
        var names = new List<string>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries.Table(i);
            string name = entry.String(S.Metadata.Name, "Metadata.name") ?? "";
            names.Add(name);
            uint index = entry.UInt32(S.Metadata.Buffer, "Metadata.buffer");
            if (index >= buffers.Count) continue;
            var data = buffers.Table((int)index).Vector(S.Buffer.Data, 1, "Buffer.data");
            if (name == MinRuntimeVersion) meta[MinRuntimeVersion] = TextUntilNul(data.Bytes);
            else if (name == MetadataEntryName) TfliteMetadata.Read(data.Bytes, file, meta);
        }
        meta["metadata_names"] = string.Join(',', names);
    }

    private static string TextUntilNul(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        var text = nul < 0 ? bytes : bytes[..nul];
        return Encoding.UTF8.GetString(text[..Math.Min(text.Length, MaxMetadataText)]);
    }
}
