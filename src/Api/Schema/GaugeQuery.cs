using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;

namespace GaugeNN.Api.Schema;

public sealed class GaugeQuery : ObjectGraphType
{
    public GaugeQuery(WarehouseReader reader, ChurnReader churn)
    {
        Name = "Query";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SnapshotType>>>>("snapshots")
            .Description("Every snapshot with its counts.")
            .Resolve(_ => reader.Snapshots());
        Field<SnapshotDetailType>("snapshot")
            .Description("One snapshot with every app, its model files and framework evidence.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Resolve(c => Detail(reader, c.GetArgument<string>("id")));
        Field<ModelType>("model")
            .Description("One model by sha256, with its latest dissection.")
            .Argument<NonNullGraphType<StringGraphType>>("sha256")
            .Resolve(c => reader.Model(c.GetArgument<string>("sha256").ToLowerInvariant()));
        Field<ChurnType>("churn")
            .Description("What changed between two consecutive snapshots; null when they are not consecutive.")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<NonNullGraphType<StringGraphType>>("to")
            .Resolve(c =>
            {
                string from = c.GetArgument<string>("from"), to = c.GetArgument<string>("to");
                return churn.Summary(from, to) is { } summary ? new ChurnPair(from, to, summary) : null;
            });
    }

    private static SnapshotDetail? Detail(WarehouseReader reader, string id)
    {
        var summary = reader.Snapshots(id).SingleOrDefault();
        if (summary is null) return null;
        var models = reader.ModelFiles(id);
        var frameworks = reader.Frameworks(id);
        var apps = reader.Apps(id)
            .Select(a => new AppView(a, models[a.Package].ToList(), frameworks[a.Package].ToList()))
            .ToList();
        return new SnapshotDetail(summary, apps);
    }
}

public sealed class GaugeSchema : GraphQL.Types.Schema
{
    public GaugeSchema(IServiceProvider services, GaugeQuery query) : base(services)
    {
        Query = query;
    }
}
