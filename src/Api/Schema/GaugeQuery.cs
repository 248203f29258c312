using GaugeNN.Api.Schema.Measurements;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Schema;

public sealed class GaugeQuery : ObjectGraphType
{
    public GaugeQuery()
    {
        Name = "Query";
        MeasurementFields();
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SnapshotType>>>>("snapshots")
            .Description("Every snapshot with its counts, in capture order.")
            .Arguments(Views.AsOfArgument())
            .Resolve(c => Reader(c).At(Views.AppSchema(c)).Snapshots());
        Field<SnapshotDetailType>("snapshot")
            .Description("One snapshot with every app, its model files and framework evidence.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string id = c.GetArgument<string>("id");
                var reader = Reader(c).At(Views.AppSchema(c));
                return reader.Snapshots(id).SingleOrDefault() is { } summary ? new SnapshotDetail(summary, AppViews(reader, id, null)) : null;
            });
        Field<AppHistoryType>("app")
            .Description("One app across every snapshot it appears in.")
            .Argument<NonNullGraphType<StringGraphType>>("package")
            .Resolve(c =>
            {
                string package = c.GetArgument<string>("package");
                var history = AppViews(Reader(c), null, package);
                return history.Count == 0 ? null : new AppHistory(package, history);
            });
        Field<ModelType>("model")
            .Description("One model by sha256, with its latest dissection.")
            .Argument<NonNullGraphType<StringGraphType>>("sha256")
            .Resolve(c => Reader(c).Model(c.GetArgument<string>("sha256").ToLowerInvariant()));
        Field<NonNullGraphType<ModelConnectionType>>("models")
            .Description($"Unique models in sha256 order, filtered; pages of at most {Paging.MaxPage}, continued with after: endCursor.")
            .Argument<ModelFilterType>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .Resolve(c =>
            {
                int first = Paging.First(c);
                var filter = c.GetArgument<ModelFilter?>("filter") ?? new ModelFilter();
                var page = Reader(c).Models(filter with { Format = filter.Format?.ToLowerInvariant() }, first + 1, c.GetArgument<string?>("after"));
                return new ModelPage(page.Take(first).ToList(), page.Count > first);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AdoptionSeriesType>>>>("adoption")
            .Description("Adoption over snapshots, by FRAMEWORK, CATEGORY or TASK.")
            .Argument<NonNullGraphType<AdoptionDimensionType>>("by")
            .Arguments(Views.AsOfArgument())
            .Resolve(c => c.RequestServices!.GetRequiredService<AdoptionReader>().At(Views.AppSchema(c)).Series(c.GetArgument<AdoptionDimension>("by")));
        Field<NonNullGraphType<ChurnType>>("churn")
            .Description("What changed between any two snapshots (same definitions as consecutive ones); unknown ids are errors.")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<NonNullGraphType<StringGraphType>>("to")
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string from = c.GetArgument<string>("from"), to = c.GetArgument<string>("to");
                string apps = Views.AppSchema(c);
                var known = Reader(c).At(apps).Snapshots().Select(s => s.Id).ToHashSet();
                foreach (var id in new[] { from, to })
                    if (!known.Contains(id)) throw new ExecutionError($"unknown snapshot '{id}'");
                var churn = c.RequestServices!.GetRequiredService<ChurnReader>();
                if (churn.At(apps, apps).Summary(from, to) is { } consecutive) return new ChurnPair(from, to, consecutive, apps, apps);
                string pair = Views.PointInTime(c).Churn(from, to, apps);
                var summary = churn.At(pair, apps).Summary(from, to) ?? throw new ExecutionError($"no apps in {from} or {to}");
                return new ChurnPair(from, to, summary, pair, apps);
            });
    }

    private void MeasurementFields()
    {
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeviceType>>>>("devices")
            .Description("Every device measurements were taken on, the host included, by tier and year.")
            .Resolve(c => MeasurementLoaders.Reader(c).DevicesById());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasurementType>>>>("measurements")
            .Description($"Measurements in run id order, filtered; at most {Paging.MaxPage} per page, continued with after: the last run id.")
            .Argument<MeasurementFilterType>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .Argument<StringGraphType>("after")
            .Resolve(c => MeasurementLoaders.Reader(c).Find(c.GetArgument<MeasurementFilter?>("filter") ?? new MeasurementFilter(),
                Paging.First(c), c.GetArgument<string?>("after")));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ComparisonType>>>>("compare")
            .Description("A model's measurements grouped by tier, generation, backend, threads, runtime or device (cross-tier, cross-generation).")
            .Argument<NonNullGraphType<StringGraphType>>("model")
            .Argument<NonNullGraphType<CompareByType>>("by")
            .Argument<MeasurementFilterType>("filter")
            .Resolve(c => MeasurementLoaders.Reader(c).Compare(c.GetArgument<string>("model").ToLowerInvariant(), c.GetArgument<CompareBy>("by"),
                c.GetArgument<MeasurementFilter?>("filter") ?? new MeasurementFilter()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VariantSavingType>>>>("variantSavings")
            .Description("How much a variant of a model (e.g. its quantised twin) saves on each device where both were measured.")
            .Argument<NonNullGraphType<StringGraphType>>("model")
            .Argument<NonNullGraphType<StringGraphType>>("variant")
            .Resolve(c => MeasurementLoaders.Reader(c).Savings(c.GetArgument<string>("model").ToLowerInvariant(), c.GetArgument<string>("variant").ToLowerInvariant()));
    }

    /// <summary>Readers are per request: each request opens the warehouse, so a projection can run between requests.</summary>
    internal static WarehouseReader Reader(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<WarehouseReader>();

    /// <summary>Apps with their model files and framework evidence, for one snapshot or one package.</summary>
    private static List<AppView> AppViews(WarehouseReader reader, string? snapshot, string? package)
    {
        var models = reader.ModelFiles(snapshot, package);
        var frameworks = reader.Frameworks(snapshot, package);
        return reader.Apps(snapshot, package)
            .Select(a => new AppView(a, models[(a.Snapshot, a.Package)].ToList(), frameworks[(a.Snapshot, a.Package)].ToList()))
            .ToList();
    }
}

public sealed class GaugeSchema : GraphQL.Types.Schema
{
    public GaugeSchema(IServiceProvider services, GaugeQuery query) : base(services)
    {
        Query = query;
    }
}
