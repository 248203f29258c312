using GaugeNN.Api.Loading;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Connections;

/// <summary>Marks the connection types: the query budget sizes their edges by the page asked for.</summary>
public interface IConnectionGraphType : IGraphType;

/// <summary>The one shape of every list that can grow: Relay's edges, pageInfo, and the list's total.</summary>
public sealed class ConnectionType<TNodeType, T> : ObjectGraphType<Connection<T>>, IConnectionGraphType
    where TNodeType : IGraphType
{
    /// <summary>The node type's name: its class name without "Type".</summary>
    public static string NodeName { get; } = typeof(TNodeType).Name.EndsWith("Type", StringComparison.Ordinal)
        ? typeof(TNodeType).Name[..^4] : typeof(TNodeType).Name;

    public ConnectionType()
    {
        Name = NodeName + "Connection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeType<TNodeType, T>>>>>("edges").Resolve(c => c.Source.Page.Items);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => c.Source.Info);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("Items in the whole list (every page).")
            .Resolve(c => c.Source.TotalCount(c) switch
            {
                IDataLoaderResult<long> pending => pending.Then(n => checked((int)n)),
                long n => checked((int)n),
                var other => throw new InvalidOperationException($"a total count is a long, not {other.GetType().Name}"),
            });
    }
}
