using GaugeNN.Api.Loading;
using GaugeNN.Api.Schema.Connections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.DataLoader;

namespace GaugeNN.Api.Schema.Apps;

/// <summary>The app edges of the graph, each batched: every app (or snapshot, or model) of a level in one statement.</summary>
internal static class AppLoaders
{
    // Fetches run after the resolver returned (GraphQL.NET reuses its contexts): they capture readers, never the context.
    public static IDataLoaderResult<IReadOnlyList<AppModelFile>> ModelFiles(IResolveFieldContext context, AppNode app)
    {
        var reader = context.Reader<AppReader>().At(app.Schema);
        return context.Loaders().Get<(string, string), IReadOnlyList<AppModelFile>>($"appModelFiles|{app.Schema}",
            keys =>
            {
                var found = reader.ModelFiles(keys);
                return keys.ToDictionary(k => k, k => (IReadOnlyList<AppModelFile>)found[k].ToList());
            }, []).Load((app.App.Snapshot, app.App.Package));
    }

    public static IDataLoaderResult<IReadOnlyList<FrameworkUse>> Frameworks(IResolveFieldContext context, AppNode app)
    {
        var reader = context.Reader<AppReader>().At(app.Schema);
        return context.Loaders().Get<(string, string), IReadOnlyList<FrameworkUse>>($"appFrameworks|{app.Schema}",
            keys =>
            {
                var found = reader.Frameworks(keys);
                return keys.ToDictionary(k => k, k => (IReadOnlyList<FrameworkUse>)found[k].ToList());
            }, []).Load((app.App.Snapshot, app.App.Package));
    }

    public static IDataLoaderResult<IReadOnlyList<AppNode>> History(IResolveFieldContext context, string package, string schema)
    {
        var reader = context.Reader<AppReader>().At(schema);
        return context.Loaders().Get<string, IReadOnlyList<AppNode>>($"appHistory|{schema}",
            keys =>
            {
                var found = reader.History(keys);
                return keys.ToDictionary(k => k, k => (IReadOnlyList<AppNode>)found[k].Select(a => new AppNode(a, schema)).ToList());
            }, []).Load(package);
    }

    /// <summary>A page of the apps of a snapshot (of every snapshot asked at this level, in one statement).</summary>
    public static IDataLoaderResult<Connection<AppNode>> InSnapshot(IResolveFieldContext context, string snapshot, string schema)
    {
        var filter = context.GetArgument<AppFilter?>("filter") ?? new AppFilter();
        var order = context.GetArgument<AppOrder?>("orderBy") ?? new AppOrder();
        var reader = context.Reader<AppReader>().At(schema);
        return Paging.Load(context, $"snapshotApps|{schema}|{filter}|{order}", snapshot,
            (keys, first, after) => Nodes(reader.InSnapshots(keys, filter, order, first, after), schema),
            keys => reader.CountInSnapshots(keys, filter));
    }

    /// <summary>A page of the apps shipping a model (of every model asked at this level, in one statement).</summary>
    public static IDataLoaderResult<Connection<AppNode>> Shipping(IResolveFieldContext context, string sha256, string? snapshot, string schema)
    {
        var reader = context.Reader<AppReader>().At(schema);
        return Paging.Load(context, $"modelApps|{schema}|{snapshot}", sha256,
            (keys, first, after) => Nodes(reader.Shipping(keys, snapshot, first, after), schema),
            keys => reader.CountShipping(keys, snapshot));
    }

    private static Dictionary<string, Page<AppNode>> Nodes(Dictionary<string, Page<AppInSnapshot>> pages, string schema) =>
        pages.ToDictionary(p => p.Key, p => new Page<AppNode>(
            p.Value.Items.Select(i => new Paged<AppNode>(new AppNode(i.Node, schema), i.Cursor)).ToList(), p.Value.HasNextPage, p.Value.HasPreviousPage));
}
