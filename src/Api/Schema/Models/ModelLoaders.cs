using GaugeNN.Api.Loading;
using GaugeNN.Api.Schema.Connections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.DataLoader;

namespace GaugeNN.Api.Schema.Models;

/// <summary>The model edges of the graph, each batched: every model file (or model) of a level in one statement.</summary>
internal static class ModelLoaders
{
    // Fetches run after the resolver returned (GraphQL.NET reuses its contexts): they capture readers, never the context.
    public static IDataLoaderResult<ModelNode?> BySha256(IResolveFieldContext context, string sha256, string schema)
    {
        var reader = context.Reader<ModelReader>().At(schema);
        return context.Loaders().Get<string, ModelNode?>($"modelBySha256|{schema}",
            keys => reader.BySha256(keys).ToDictionary(p => p.Key, p => (ModelNode?)new ModelNode(p.Value, schema)), null).Load(sha256);
    }

    /// <summary>
    /// The other models of a model's architecture. Models of one fingerprint share a batch key, so the page is read
    /// with one row more and the model asking is left out here.
    /// </summary>
    public static IDataLoaderResult<Connection<ModelNode>> Relatives(IResolveFieldContext context, ModelNode model)
    {
        if (model.Model.ArchFingerprint is not { } fingerprint)
        {
            Paging.Args(context);
            return new Ready<Connection<ModelNode>>(new Connection<ModelNode>(Page<ModelNode>.Empty(context.GetArgument<string?>("after") is not null), _ => 0L));
        }
        var reader = context.Reader<ModelReader>().At(model.Schema);
        var (first, _) = Paging.Args(context);
        return Paging.Load(context, $"relatives|{model.Schema}", fingerprint,
                (keys, f, after) => reader.OfArchitectures(keys, f, after).ToDictionary(p => p.Key, p => Nodes(p.Value, model.Schema)),
                keys => reader.CountOfArchitectures(keys).ToDictionary(p => p.Key, p => Math.Max(0, p.Value - 1)))
            .Then(connection =>
            {
                var others = connection.Page.Items.Where(i => i.Node.Model.Sha256 != model.Model.Sha256).ToList();
                return connection with { Page = connection.Page with { Items = others.Take(first).ToList(), HasNextPage = connection.Page.HasNextPage || others.Count > first } };
            });
    }

    public static Page<ModelNode> Nodes(Page<ModelSummary> page, string schema) =>
        new(page.Items.Select(i => new Paged<ModelNode>(new ModelNode(i.Node, schema), i.Cursor)).ToList(), page.HasNextPage, page.HasPreviousPage);
}
