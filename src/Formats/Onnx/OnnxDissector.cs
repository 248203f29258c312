// Spec: ONNX ModelProto, schemas/onnx/onnx.proto; metrics per tests/fixtures/DEFINITIONS.md (ONNX section).
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;

namespace GaugeNN.Formats.Onnx;

/// <summary>
/// Dissects an ONNX model: op histogram, params and weight dtypes (initializers plus Constant nodes; external-data
/// initializers by their declared dims), quantization ops, and MACs of Conv / ConvTranspose / Gemm / MatMul from
/// propagated shapes, over the main graph and every nested subgraph (If branches, Loop and Scan bodies, each counted
/// once). Shapes are best effort: a node whose MACs need a shape that cannot be inferred is an unknown-MAC node with
/// the reason; everything the file states is still reported.
/// </summary>
internal static class OnnxDissector
{
    private sealed class Totals
    {
        public long Params, Macs, MacsUnknown, Subgraphs, Int8Initializers, ExternalInitializers;
    }

    public static ModelFacts Dissect(ReadOnlySpan<byte> bytes) => Dissect(bytes, null);

    /// <summary>The shape inferred for every tensor a node produces, keyed <c>graph name/tensor</c> (null: none).</summary>
    internal static Dictionary<string, Dim[]?> TensorShapes(ReadOnlySpan<byte> bytes)
    {
        var shapes = new Dictionary<string, Dim[]?>(StringComparer.Ordinal);
        Dissect(bytes, (graph, scope) =>
        {
            foreach (var node in graph.Nodes)
            foreach (string output in node.Outputs.Where(o => o.Length > 0))
                shapes[$"{graph.Name}/{output}"] = scope.Shape(output);
        });
        return shapes;
    }

    private static ModelFacts Dissect(ReadOnlySpan<byte> bytes, Action<OnnxGraph, OnnxShapes>? inspect)
    {
        var model = OnnxModelReader.Read(bytes);
        var facts = new ModelFacts("onnx");
        var all = new Totals();
        var main = new Totals();
        var shapes = new OnnxShapes(model.DefaultOpset);
        int mainNodes = model.Graph.Nodes.Count;
        shapes.Declare(model.Graph);
        Visit(model.Graph, shapes, facts, all, main, depth: 0, inspect);

        var initializers = model.Graph.Initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var input in model.Graph.Inputs.Where(i => !initializers.Contains(i.Name)))
            facts.Inputs.Add(Spec(input));
        foreach (var output in model.Graph.Outputs) facts.Outputs.Add(Spec(output));

        facts.Params = all.Params;
        facts.Macs = all.Macs;
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
        meta["external_data_initializers"] = all.ExternalInitializers.ToString();
        if (model.Domain.Length > 0) meta["model_domain"] = model.Domain;
        if (model.ModelVersion != 0) meta["model_version"] = model.ModelVersion.ToString();
        foreach (var (key, value) in model.MetadataProps) meta["metadata_props." + key] = value;
        if (model.Functions.Count > 0) meta["local_functions"] = string.Join(',', model.Functions.Select(f => $"{f.Name}={f.Nodes}"));
        facts.Names.Add(model.Graph.Name);
        facts.Names.AddRange(facts.Inputs.Concat(facts.Outputs).Select(t => t.Name));
        return facts;
    }

    /// <summary>Counts a graph whose scope (<paramref name="shapes"/>) already holds its inputs' shapes.</summary>
    private static void Visit(OnnxGraph graph, OnnxShapes shapes, ModelFacts facts, Totals all, Totals? main, int depth,
        Action<OnnxGraph, OnnxShapes>? inspect)
    {
        foreach (var tensor in graph.Initializers)
        {
            long elements = Elements(tensor.Dims);
            AddWeights(facts, all, main, elements, tensor.DataType);
            if (tensor.DataType is OnnxDataTypes.Int8 or OnnxDataTypes.Uint8) all.Int8Initializers++;
            if (tensor.External) all.ExternalInitializers++;
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
            var bodies = new List<(OnnxGraph, OnnxShapes)>();
            foreach (var attribute in node.Attributes)
            foreach (var subgraph in attribute.Graphs)
            {
                all.Subgraphs++;
                var scope = node.IsDefaultDomain && node.OpType is "Loop" or "Scan" ? shapes.BodyScope(node, subgraph) : Branch(shapes, subgraph);
                Visit(subgraph, scope, facts, all, null, depth + 1, inspect);
                bodies.Add((subgraph, scope));
            }
            if (node.IsDefaultDomain && node.OpType is "If" or "Loop" or "Scan") shapes.InferControlFlow(node, bodies);
            else shapes.Infer(node);
            if (!node.IsDefaultDomain || node.OpType is not ("Conv" or "ConvTranspose" or "Gemm" or "MatMul")) continue;
            var (macs, why) = OnnxMacs.Of(node, shapes);
            if (macs is null) facts.UnknownMacs(node.Name.Length > 0 ? node.Name : node.Outputs.FirstOrDefault() ?? "", node.Key, why!);
            foreach (var totals in main is null ? [all] : new[] { all, main })
            {
                if (macs is { } value) totals.Macs = ModelFacts.Saturate(totals.Macs, value);
                else totals.MacsUnknown++;
            }
        }
        inspect?.Invoke(graph, shapes);
    }

    /// <summary>An If branch (or a subgraph of an op with no scoping rule here): the outer names plus its own.</summary>
    private static OnnxShapes Branch(OnnxShapes outer, OnnxGraph subgraph)
    {
        var scope = outer.Nested();
        scope.Declare(subgraph);
        return scope;
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

    /// <summary>Declared I/O: dim_value as a number, dim_param kept as the dimension's name (batch, sequence, …).</summary>
    private static TensorSpec Spec(OnnxValueInfo info) =>
        new(info.Name, (info.Shape ?? []).Select(d => d.Value).ToList(), (info.Shape ?? []).Select(d => d.Param).ToList(),
            OnnxDataTypes.Name(info.ElemType));
}

/// <summary>
/// MACs of Conv / ConvTranspose / Gemm / MatMul per DEFINITIONS.md; without a number, the reason: which operand has no
/// shape (and why), or which needed dimension is symbolic or unknown.
/// </summary>
internal static class OnnxMacs
{
    public static (long? Macs, string? Why) Of(OnnxNode node, OnnxShapes shapes)
    {
        string Operand(int i) => i < node.Inputs.Count ? node.Inputs[i] : "";
        string output = node.Outputs.Count > 0 ? node.Outputs[0] : "";
        Dim[]? Shape(string name) => shapes.Shape(name);
        switch (node.OpType)
        {
            case "Conv":
            {
                var y = Shape(output);
                var w = Shape(Operand(1));
                if (y is null) return (null, shapes.Why(output));
                if (w is null) return (null, shapes.Why(Operand(1)));
                if (y.Length < 3 || w.Length != y.Length) return (null, $"output rank {y.Length} and weight rank {w.Length} do not fit a convolution");
                return Product([(Batch(y[0]), output, 0), .. Dims(y, output, 2), (y[1], output, 1), .. Dims(w, Operand(1), 2), (w[1], Operand(1), 1)]);
            }
            case "ConvTranspose":
            {
                var x = Shape(Operand(0));
                var w = Shape(Operand(1));
                if (x is null) return (null, shapes.Why(Operand(0)));
                if (w is null) return (null, shapes.Why(Operand(1)));
                if (x.Length < 3 || w.Length != x.Length) return (null, $"input rank {x.Length} and weight rank {w.Length} do not fit a transposed convolution");
                return Product([(Batch(x[0]), Operand(0), 0), .. Dims(x, Operand(0), 2), (x[1], Operand(0), 1), .. Dims(w, Operand(1), 2), (w[1], Operand(1), 1)]);
            }
            case "Gemm":
            {
                var a = Shape(Operand(0));
                var b = Shape(Operand(1));
                if (a is null) return (null, shapes.Why(Operand(0)));
                if (b is null) return (null, shapes.Why(Operand(1)));
                if (a.Length != 2 || b.Length != 2) return (null, "Gemm operands are not both 2-D");
                bool transA = node.Int("transA", 0) == 1, transB = node.Int("transB", 0) == 1;
                return Product([(Batch(transA ? a[1] : a[0]), Operand(0), transA ? 1 : 0), (transA ? a[0] : a[1], Operand(0), transA ? 0 : 1),
                    (transB ? b[0] : b[1], Operand(1), transB ? 0 : 1)]);
            }
            default:
            {
                var a = Shape(Operand(0));
                var b = Shape(Operand(1));
                if (a is null) return (null, shapes.Why(Operand(0)));
                if (b is null) return (null, shapes.Why(Operand(1)));
                if (a.Length == 0 || b.Length == 0) return (null, "a MatMul operand is a scalar");
                var left = a.Length == 1 ? [Dim.Of(1), a[0]] : (Dim[])a.Clone();
                if (a.Length >= 2) left[0] = Batch(left[0]);
                var right = b.Length == 1 ? [b[0], Dim.Of(1)] : b;
                int batchRank = Math.Max(left.Length, right.Length) - 2;
                var dims = new List<(Dim, string, int)> { (left[^2], Operand(0), a.Length - 2), (right[^1], Operand(1), b.Length - 1), (left[^1], Operand(0), a.Length - 1) };
                for (int i = 0; i < batchRank; i++)
                {
                    var l = At(left, i, batchRank);
                    var r = At(right, i, batchRank);
                    if (!l.Known) return (null, Unknown(l, Operand(0), i));
                    if (!r.Known) return (null, Unknown(r, Operand(1), i));
                    dims.Add((Dim.Of(Math.Max(l.Value!.Value, r.Value!.Value)), Operand(0), i));
                }
                return Product(dims);
            }
        }
    }

    private static IEnumerable<(Dim, string, int)> Dims(Dim[] shape, string name, int from) =>
        shape.Skip(from).Select((d, i) => (d, name, i + from));

    private static Dim Batch(Dim d) => d.Known ? d : Dim.Of(1);

    private static Dim At(Dim[] shape, int i, int batchRank)
    {
        int j = i - (batchRank - (shape.Length - 2));
        return j < 0 ? Dim.Of(1) : shape[j];
    }

    private static string Unknown(Dim d, string name, int axis) => d.Param is { } symbol
        ? $"dimension {axis} of '{name}' is symbolic ('{symbol}')"
        : $"dimension {axis} of '{name}' is unknown";

    private static (long?, string?) Product(IEnumerable<(Dim Dim, string Name, int Axis)> dims)
    {
        long product = 1;
        foreach (var (d, name, axis) in dims)
        {
            if (d.Value is not { } v) return (null, Unknown(d, name, axis));
            if (v < 0) return (null, $"dimension {axis} of '{name}' is negative");
            product = v != 0 && product > long.MaxValue / v ? long.MaxValue : product * v;
        }
        return (product, null);
    }
}
