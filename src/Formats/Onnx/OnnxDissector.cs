// Spec: ONNX ModelProto, schemas/onnx/onnx.proto; metrics per tests/fixtures/DEFINITIONS.md (ONNX section).
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;

namespace GaugeNN.Formats.Onnx;

/// <summary>
/// Dissects an ONNX model: op histogram, params and weight dtypes (initializers plus Constant nodes), quantization
/// ops, and MACs of Conv / ConvTranspose / Gemm / MatMul from propagated shapes, over the main graph and every nested
/// subgraph (If branches, Loop and Scan bodies, each counted once).
/// </summary>
internal static class OnnxDissector
{
    private sealed class Totals
    {
        public long Params, Macs, MacsUnknown, Subgraphs, Int8Initializers;
    }

    public static ModelFacts Dissect(ReadOnlySpan<byte> bytes)
    {
        var model = OnnxModelReader.Read(bytes);
        var facts = new ModelFacts("onnx");
        var all = new Totals();
        var main = new Totals();
        var shapes = new OnnxShapes(model.DefaultOpset);
        int mainNodes = model.Graph.Nodes.Count;
        Visit(model.Graph, shapes, facts, all, main, depth: 0);

        var initializers = model.Graph.Initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var input in model.Graph.Inputs.Where(i => !initializers.Contains(i.Name)))
            facts.Inputs.Add(Spec(input));
        foreach (var output in model.Graph.Outputs) facts.Outputs.Add(Spec(output));

        facts.Params = all.Params;
        facts.Macs = all.Macs;
        facts.MacsUnknownNodes = all.MacsUnknown;
        var meta = facts.Metadata;
        meta["ir_version"] = model.IrVersion.ToString();
        meta["opset_import"] = string.Join(',', model.OpsetImports.Select(o => $"{o.Domain}:{o.Version}"));
        meta["producer_name"] = model.ProducerName;
        meta["producer_version"] = model.ProducerVersion;
        meta["node_count_main_graph"] = mainNodes.ToString();
        meta["params_main_graph"] = main.Params.ToString();
        meta["macs_main_graph"] = main.Macs.ToString();
        meta["macs_unknown_nodes_main_graph"] = main.MacsUnknown.ToString();
        meta["subgraph_count"] = all.Subgraphs.ToString();
        meta["int8_uint8_initializers"] = all.Int8Initializers.ToString();
        facts.Names.Add(model.Graph.Name);
        facts.Names.AddRange(facts.Inputs.Concat(facts.Outputs).Select(t => t.Name));
        return facts;
    }

    private static void Visit(OnnxGraph graph, OnnxShapes shapes, ModelFacts facts, Totals all, Totals? main, int depth)
    {
        shapes.Declare(graph);
        foreach (var tensor in graph.Initializers)
        {
            long elements = Elements(tensor.Dims);
            AddWeights(facts, all, main, elements, tensor.DataType);
            if (tensor.DataType is OnnxDataTypes.Int8 or OnnxDataTypes.Uint8) all.Int8Initializers++;
            facts.Structure.AddName(tensor.Name);
            facts.Structure.Add(tensor.DataType);
            foreach (long d in tensor.Dims) facts.Structure.Add(d);
        }
        foreach (var node in graph.Nodes)
        {
            facts.Layers++;
            facts.Ops.Add(node.Key);
            if (IsQuantizationOp(node)) facts.Quantized = true;
            if (node.OpType == "Constant" && node.IsDefaultDomain) AddConstant(node, facts, all, main);
            HashNode(node, facts.Structure, depth);
            foreach (var attribute in node.Attributes)
            foreach (var subgraph in attribute.Graphs)
            {
                all.Subgraphs++;
                Visit(subgraph, shapes.Nested(), facts, all, null, depth + 1);
            }
            shapes.Infer(node);
            if (!node.IsDefaultDomain || node.OpType is not ("Conv" or "ConvTranspose" or "Gemm" or "MatMul")) continue;
            long? macs = OnnxMacs.Of(node, shapes);
            foreach (var totals in main is null ? [all] : new[] { all, main })
            {
                if (macs is { } value) totals.Macs += value;
                else totals.MacsUnknown++;
            }
        }
    }

    private static void AddConstant(OnnxNode node, ModelFacts facts, Totals all, Totals? main)
    {
        foreach (var attribute in node.Attributes)
        {
            var (elements, type) = attribute.Name switch
            {
                "value" when attribute.T is { } t => (Elements(t.Dims), t.DataType),
                "sparse_value" when attribute.HasSparseTensor => (attribute.SparseElements, attribute.SparseDataType),
                "value_float" => (1L, 1),
                "value_int" => (1L, OnnxDataTypes.Int64),
                "value_floats" => (attribute.FloatCount, 1),
                "value_ints" => (attribute.Ints.Count, OnnxDataTypes.Int64),
                "value_string" => (1L, 8),
                "value_strings" => (attribute.StringCount, 8),
                _ => (-1L, 0),
            };
            if (elements >= 0) AddWeights(facts, all, main, elements, type);
        }
    }

    private static void AddWeights(ModelFacts facts, Totals all, Totals? main, long elements, int type)
    {
        all.Params += elements;
        if (main is not null) main.Params += elements;
        facts.WeightDtypes.Add(OnnxDataTypes.Name(type), elements);
    }

    private static long Elements(long[] dims)
    {
        long product = 1;
        foreach (long d in dims) product = checked(product * d);
        return product;
    }

    private static bool IsQuantizationOp(OnnxNode node) =>
        node.OpType is "QuantizeLinear" or "DequantizeLinear" or "DynamicQuantizeLinear" or "ConvInteger" or "MatMulInteger"
        || node.OpType.StartsWith("QLinear", StringComparison.Ordinal);

    /// <summary>Structure only: op, domain, wiring and scalar/list attributes; tensor attribute values are skipped.</summary>
    private static void HashNode(OnnxNode node, StructureHash hash, int depth)
    {
        hash.Add(depth);
        hash.Add(node.Key);
        foreach (string input in node.Inputs) hash.AddName(input);
        foreach (string output in node.Outputs) hash.AddName(output);
        foreach (var attribute in node.Attributes)
        {
            hash.Add(attribute.Name);
            hash.Add(attribute.I);
            hash.Add(BitConverter.SingleToInt32Bits(attribute.F));
            hash.Add(attribute.S ?? "");
            foreach (long i in attribute.Ints) hash.Add(i);
            if (attribute.T is { } t)
            {
                hash.Add(t.DataType);
                foreach (long d in t.Dims) hash.Add(d);
            }
        }
    }

    private static TensorSpec Spec(OnnxValueInfo info) =>
        new(info.Name, (info.Shape ?? []).Select(d => d.Value).ToList(), OnnxDataTypes.Name(info.ElemType));
}

/// <summary>MACs of Conv / ConvTranspose / Gemm / MatMul per DEFINITIONS.md; null when a needed dimension is unknown.</summary>
internal static class OnnxMacs
{
    public static long? Of(OnnxNode node, OnnxShapes shapes)
    {
        Dim[]? Input(int i) => i < node.Inputs.Count ? shapes.Shape(node.Inputs[i]) : null;
        var output = node.Outputs.Count > 0 ? shapes.Shape(node.Outputs[0]) : null;
        switch (node.OpType)
        {
            case "Conv":
            {
                var w = Input(1);
                if (output is not { Length: >= 3 } || w is not { Length: >= 3 } || w.Length != output.Length) return null;
                return Product([Batch(output[0]), .. output[2..], output[1], .. w[2..], w[1]]);
            }
            case "ConvTranspose":
            {
                var x = Input(0);
                var w = Input(1);
                if (x is not { Length: >= 3 } || w is not { Length: >= 3 } || w.Length != x.Length) return null;
                return Product([Batch(x[0]), .. x[2..], x[1], .. w[2..], w[1]]);
            }
            case "Gemm":
            {
                var a = Input(0);
                var b = Input(1);
                if (a is not { Length: 2 } || b is not { Length: 2 }) return null;
                bool transA = node.Int("transA", 0) == 1, transB = node.Int("transB", 0) == 1;
                var m = Batch(transA ? a[1] : a[0]);
                var k = transA ? a[0] : a[1];
                var n = transB ? b[0] : b[1];
                return Product([m, k, n]);
            }
            default:
            {
                var a = Input(0);
                var b = Input(1);
                if (a is not { Length: >= 1 } || b is not { Length: >= 1 }) return null;
                var left = a.Length == 1 ? [Dim.Of(1), a[0]] : (Dim[])a.Clone();
                if (a.Length >= 2) left[0] = Batch(left[0]);
                var right = b.Length == 1 ? [b[0], Dim.Of(1)] : b;
                var k = left[^1];
                var m = left[^2];
                var n = right[^1];
                int batchRank = Math.Max(left.Length, right.Length) - 2;
                var dims = new List<Dim> { m, n, k };
                for (int i = 0; i < batchRank; i++)
                {
                    var l = At(left, i, batchRank);
                    var r = At(right, i, batchRank);
                    if (!l.Known || !r.Known) return null;
                    dims.Add(Dim.Of(Math.Max(l.Value!.Value, r.Value!.Value)));
                }
                return Product(dims);
            }
        }
    }

    private static Dim Batch(Dim d) => d.Known ? d : Dim.Of(1);

    private static Dim At(Dim[] shape, int i, int batchRank)
    {
        int j = i - (batchRank - (shape.Length - 2));
        return j < 0 ? Dim.Of(1) : shape[j];
    }

    private static long? Product(IEnumerable<Dim> dims)
    {
        long product = 1;
        foreach (var d in dims)
        {
            if (d.Value is not { } v || v < 0) return null;
            product = v != 0 && product > long.MaxValue / v ? long.MaxValue : product * v;
        }
        return product;
    }
}
