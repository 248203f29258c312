using GaugeNN.Formats.Protobuf;

namespace GaugeNN.Formats.TfGraph;

/// <summary>Field numbers from TensorFlow graph.proto (GraphDef) and node_def.proto (NodeDef).</summary>
internal static class TfGraphFields
{
    private const int MaxOpNameLength = 256;

    public static class Graph
    {
        public const int Node = 1, Library = 2, Version = 3, Versions = 4, DebugInfo = 5;
    }

    /// <summary>SavedModel (saved_model.proto) and MetaGraphDef (meta_graph.proto) fields that lead to a GraphDef.</summary>
    public static class SavedModel
    {
        public const int SchemaVersion = 1, MetaGraphs = 2, MetaGraphGraphDef = 2;
    }

    public static class Node
    {
        public const int Name = 1, Op = 2, Input = 3, Device = 4, Attr = 5;
    }

    /// <summary>
    /// The GraphDef inside a SavedModel's first MetaGraphDef, or null when the bytes are not a SavedModel (only fields 1,
    /// a varint, and 2, messages). Throws <see cref="MalformedModelException"/> on broken wire data.
    /// </summary>
    public static ReadOnlySpan<byte> SavedModelGraph(ReadOnlySpan<byte> bytes, out bool isSavedModel)
    {
        isSavedModel = false;
        var reader = new ProtoReader(bytes, "tf");
        ReadOnlySpan<byte> graph = default;
        bool hasVersion = false;
        while (reader.TryReadTag(out int field, out var wire))
        {
            if (field == SavedModel.SchemaVersion && wire == WireType.Varint)
            {
                reader.ReadVarint("saved_model_schema_version");
                hasVersion = true;
            }
            else if (field == SavedModel.MetaGraphs && wire == WireType.LengthDelimited)
            {
                var metaGraph = reader.ReadMessage("meta_graphs");
                while (metaGraph.TryReadTag(out int metaField, out var metaWire))
                {
                    if (metaField == SavedModel.MetaGraphGraphDef && metaWire == WireType.LengthDelimited && graph.IsEmpty)
                        graph = metaGraph.ReadBytes("graph_def");
                    else metaGraph.Skip(metaWire, "MetaGraphDef field");
                }
            }
            else return default;
        }
        isSavedModel = hasVersion && !graph.IsEmpty;
        return isSavedModel ? graph : default;
    }

    /// <summary>The op of a NodeDef, or null when it lacks a name or its op is not an identifier.</summary>
    public static string? ReadNodeOp(ref ProtoReader node)
    {
        string? name = null, op = null;
        while (node.TryReadTag(out int field, out var wire))
        {
            if (field == Node.Name && wire == WireType.LengthDelimited) name = node.ReadString("NodeDef.name");
            else if (field == Node.Op && wire == WireType.LengthDelimited) op = node.ReadString("NodeDef.op");
            else node.Skip(wire, "NodeDef field");
        }
        return string.IsNullOrEmpty(name) || op is null || !IsIdentifier(op) ? null : op;
    }

    private static bool IsIdentifier(string op) =>
        op.Length is > 0 and <= MaxOpNameLength && char.IsAsciiLetter(op[0])
        && op.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '>' or '.');
}
