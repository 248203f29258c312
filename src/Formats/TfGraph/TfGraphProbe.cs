// Spec: TensorFlow GraphDef / NodeDef, tensorflow/core/framework/graph.proto and node_def.proto.
using GaugeNN.Formats.Protobuf;

namespace GaugeNN.Formats.TfGraph;

/// <summary>
/// A frozen GraphDef (only GraphDef fields, and at least one NodeDef with a name and an op identifier), or a SavedModel
/// whose first MetaGraphDef holds such a GraphDef.
/// </summary>
internal static class TfGraphProbe
{
    public static bool Looks(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var savedGraph = TfGraphFields.SavedModelGraph(bytes, out bool isSavedModel);
            return GraphLooks(isSavedModel ? savedGraph : bytes);
        }
        catch (MalformedModelException)
        {
            return false;
        }
    }

    private static bool GraphLooks(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new ProtoReader(bytes, "tf");
            int nodes = 0;
            while (reader.TryReadTag(out int field, out var wire))
            {
                if (wire != WireType.LengthDelimited && field != TfGraphFields.Graph.Version) return false;
                if (field == TfGraphFields.Graph.Node)
                {
                    var node = reader.ReadMessage("node");
                    if (TfGraphFields.ReadNodeOp(ref node) is null) return false;
                    nodes++;
                }
                else if (field is TfGraphFields.Graph.Library or TfGraphFields.Graph.Versions or TfGraphFields.Graph.Version
                         or TfGraphFields.Graph.DebugInfo)
                    reader.Skip(wire, "graph field");
                else
                    return false;
            }
            return nodes > 0;
        }
        catch (MalformedModelException)
        {
            return false;
        }
    }
}
