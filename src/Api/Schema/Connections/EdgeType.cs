using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Connections;

/// <summary>An edge of a connection: the node and the cursor that continues the list after it.</summary>
public sealed class EdgeType<TNodeType, T> : ObjectGraphType<Paged<T>>
    where TNodeType : IGraphType
{
    public EdgeType()
    {
        Name = ConnectionType<TNodeType, T>.NodeName + "Edge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Pass as after to continue after this node.").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(c => c.Source.Node);
    }
}
