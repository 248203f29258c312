using GaugeNN.Api.Loading;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Builders;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Connections;

/// <summary>The one paging rule of every connection: <c>first</c> between 1 and <see cref="MaxPage"/>, <c>after</c> a cursor.</summary>
public static class Paging
{
    public const int MaxPage = 1000;

    public static FieldBuilder<TSource, TReturn> PageArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, int defaultFirst) => field
        .Argument<IntGraphType>("first", a =>
        {
            a.DefaultValue = defaultFirst;
            a.Description = $"Page size: 1 to {MaxPage}.";
        })
        .Argument<StringGraphType>("after", a => a.Description = "Continue after this cursor (a pageInfo.endCursor or an edge's cursor).");

    public static (int First, string? After) Args(IResolveFieldContext context)
    {
        int first = context.GetArgument<int>("first");
        if (first is < 1 or > MaxPage) throw new ExecutionError($"first must be between 1 and {MaxPage} (got {first})");
        return (first, context.GetArgument<string?>("after"));
    }

    /// <summary>
    /// A paged edge of the graph: the pages of every parent at this level come from one call of <paramref name="pages"/>,
    /// and their totals, when asked, from one call of <paramref name="counts"/>. <paramref name="edge"/> names the edge
    /// with everything its parents must share (schema, filters); the page size and cursor are added here.
    /// </summary>
    public static IDataLoaderResult<Connection<T>> Load<T>(IResolveFieldContext context, string edge, string parent,
        Func<IReadOnlyCollection<string>, int, string?, IReadOnlyDictionary<string, Page<T>>> pages,
        Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, long>> counts)
    {
        var (first, after) = Args(context);
        var loaders = context.Loaders();
        var pageLoader = loaders.Get<string, Page<T>>($"{edge}|{first}|{after}", keys => pages(keys, first, after), Page<T>.Empty(after is not null));
        var countLoader = loaders.Get<string, long>($"{edge}|count", counts, 0L);
        return pageLoader.Load(parent).Then(page => new Connection<T>(page, _ => countLoader.Load(parent)));
    }
}
