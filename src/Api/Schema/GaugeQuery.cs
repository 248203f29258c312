using GaugeNN.Api.Limits;
using GaugeNN.Api.Schema.Adoption;
using GaugeNN.Api.Schema.Apps;
using GaugeNN.Api.Schema.Churn;
using GaugeNN.Api.Schema.Common;
using GaugeNN.Api.Schema.Connections;
using GaugeNN.Api.Schema.Measurements;
using GaugeNN.Api.Schema.Models;
using GaugeNN.Api.Schema.Snapshots;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;

namespace GaugeNN.Api.Schema;

public sealed class GaugeQuery : ObjectGraphType
{
    public GaugeQuery()
    {
        Name = "Query";
        SnapshotFields();
        ModelFields();
        MeasurementFields();
    }

    private void SnapshotFields()
    {
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SnapshotType>>>>("snapshots")
            .Description("Every snapshot with its counts, in capture order.")
            .Arguments(Views.AsOfArgument())
            .Sized(s => s.Snapshots)
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                return Known.Snapshots(c, schema).InOrder.Select(s => new SnapshotNode(s, schema)).ToList();
            });
        Field<SnapshotDetailType>("snapshot")
            .Description("One snapshot with its apps (paged). An unknown id is an error naming it.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                return new SnapshotDetail(new SnapshotNode(Known.Snapshot(c, c.GetArgument<string>("id"), schema), schema));
            });
        Field<AppType>("app")
            .Description("One app as it is in a snapshot (default: the latest it is in), with its history. An unknown package is an error naming it.")
            .Argument<NonNullGraphType<StringGraphType>>("package")
            .Argument<StringGraphType>("snapshot")
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                string package = c.GetArgument<string>("package");
                string? snapshot = Known.OptionalSnapshot(c, c.GetArgument<string?>("snapshot"), schema);
                var history = c.Reader<AppReader>().At(schema).History([package])[package].ToList();
                if (history.Count == 0) throw new ExecutionError($"unknown package '{package}'");
                var app = snapshot is null ? history[^1] : history.FirstOrDefault(a => a.Snapshot == snapshot)
                    ?? throw new ExecutionError($"package '{package}' is not in snapshot '{snapshot}'");
                return new AppNode(app, schema);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AdoptionSeriesType>>>>("adoption")
            .Description("Adoption over snapshots, by FRAMEWORK, CATEGORY or TASK: one series per key.")
            .Argument<NonNullGraphType<AdoptionByType>>("by")
            .Arguments(Views.AsOfArgument())
            .Sized(60)
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                var by = c.GetArgument<AdoptionDimension>("by");
                var reader = c.Reader<AdoptionReader>().At(schema);
                return c.Reader<WarehouseFacts>().Remember($"adoption|{schema}|{by}", () => reader.Series(by));
            });
        Field<NonNullGraphType<ChurnType>>("churn")
            .Description("What changed between any two snapshots (the same definitions as consecutive ones). Unknown ids are errors naming them.")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<NonNullGraphType<StringGraphType>>("to")
            .Arguments(Views.AsOfArgument())
            .BuildsSchema()
            .Resolve(c =>
            {
                string from = c.GetArgument<string>("from"), to = c.GetArgument<string>("to");
                string apps = Views.AppSchema(c);
                Known.Snapshot(c, from, apps);
                Known.Snapshot(c, to, apps);
                // Consecutive pairs (in capture order) are kept in the app schema; any other pair gets a schema of its own.
                string churnSchema = Known.Snapshots(c, apps).Consecutive(from, to) ? apps : Views.PointInTime(c).Churn(from, to, apps);
                var reader = c.Reader<ChurnReader>().At(churnSchema, apps);
                var summary = c.Reader<WarehouseFacts>().Remember($"churn|{churnSchema}|{apps}|{from}|{to}",
                    () => reader.Summary(from, to) ?? throw new ExecutionError($"no apps in {from} or {to}"));
                return new ChurnPair(from, to, summary, churnSchema, apps);
            });
    }

    private void ModelFields()
    {
        Field<ModelType>("model")
            .Description("One model by sha256. An unknown sha256 is an error naming it.")
            .Argument<NonNullGraphType<StringGraphType>>("sha256")
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                string sha256 = c.GetArgument<string>("sha256").ToLowerInvariant();
                return c.Reader<ModelReader>().At(schema).BySha256([sha256]).TryGetValue(sha256, out var model)
                    ? new ModelNode(model, schema)
                    : throw new ExecutionError($"unknown model sha256 '{sha256}'");
            });
        Field<NonNullGraphType<ConnectionType<ModelType, ModelNode>>>("models")
            .Description("Unique models, filtered and ordered (default: by sha256).")
            .Argument<ModelFilterType>("filter")
            .Argument<ModelOrderType>("orderBy")
            .PageArguments(50)
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                var (first, after) = Paging.Args(c);
                var filter = c.GetArgument<ModelFilter?>("filter") ?? new ModelFilter();
                Known.OptionalSnapshot(c, filter.Snapshot, schema);
                var reader = c.Reader<ModelReader>().At(schema);
                var page = reader.Find(filter, c.GetArgument<ModelOrder?>("orderBy") ?? new ModelOrder(), first, after);
                return new Connection<ModelNode>(ModelLoaders.Nodes(page, schema), _ => reader.Count(filter));
            });
        Field<NonNullGraphType<DistributionType>>("distribution")
            .Description("How identified unique models spread over a metric, in one snapshot or over all.")
            .Argument<NonNullGraphType<ModelMetricType>>("of")
            .Argument<StringGraphType>("snapshot")
            .Argument<IntGraphType>("bins", a =>
            {
                a.DefaultValue = 20;
                a.Description = $"Log-spaced bins: 1 to {DistributionType.MaxBins}.";
            })
            .Arguments(Views.AsOfArgument())
            .Resolve(c =>
            {
                string schema = Views.AppSchema(c);
                int bins = c.GetArgument<int>("bins");
                if (bins is < 1 or > DistributionType.MaxBins) throw new ExecutionError($"bins must be between 1 and {DistributionType.MaxBins} (got {bins})");
                string? snapshot = Known.OptionalSnapshot(c, c.GetArgument<string?>("snapshot"), schema);
                var of = c.GetArgument<ModelMetric>("of");
                var reader = c.Reader<ModelReader>().At(schema);
                return c.Reader<WarehouseFacts>().Remember($"distribution|{schema}|{of}|{snapshot}|{bins}", () => reader.Distribution(of, snapshot, bins));
            });
    }

    private void MeasurementFields()
    {
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeviceType>>>>("devices")
            .Description("Every device measurements were taken on, the host included, by tier and year.")
            .Sized(s => s.Devices)
            .Resolve(c => c.Reader<MeasurementReader>().DevicesById());
        Field<DeviceType>("device")
            .Description("One device by id. An unknown id is an error naming it.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Resolve(c =>
            {
                string id = c.GetArgument<string>("id");
                return c.Reader<MeasurementReader>().DevicesById([id]).SingleOrDefault() ?? throw new ExecutionError($"unknown device '{id}'");
            });
        Field<NonNullGraphType<ConnectionType<MeasurementType, Measurement>>>("measurements")
            .Description("Measurements in run id order, filtered.")
            .Argument<MeasurementFilterType>("filter")
            .PageArguments(100)
            .Resolve(c =>
            {
                var (first, after) = Paging.Args(c);
                var filter = c.GetArgument<MeasurementFilter?>("filter") ?? new MeasurementFilter();
                var reader = c.Reader<MeasurementReader>();
                return new Connection<Measurement>(reader.Find(filter, first, after), _ => reader.Count(filter));
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ComparisonType>>>>("compare")
            .Description("A model's measurements grouped by tier, generation, backend, threads, runtime or device (cross-tier, cross-generation).")
            .Argument<NonNullGraphType<StringGraphType>>("model")
            .Argument<NonNullGraphType<CompareByType>>("by")
            .Argument<MeasurementFilterType>("filter")
            .Sized(s => Math.Max(6, s.Devices))
            .Resolve(c => c.Reader<MeasurementReader>().Compare(MeasuredModel(c, "model"), c.GetArgument<CompareBy>("by"),
                c.GetArgument<MeasurementFilter?>("filter") ?? new MeasurementFilter()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VariantSavingType>>>>("variantSavings")
            .Description("How much a variant of a model (e.g. its quantised twin) saves on each device where both were measured.")
            .Argument<NonNullGraphType<StringGraphType>>("model")
            .Argument<NonNullGraphType<StringGraphType>>("variant")
            .Sized(s => Math.Max(1, s.Devices) * 2)
            .Resolve(c => c.Reader<MeasurementReader>().Savings(MeasuredModel(c, "model"), MeasuredModel(c, "variant")));
    }

    /// <summary>A sha256 argument naming a model shipped or measured; anything else is an error naming it.</summary>
    private static string MeasuredModel(IResolveFieldContext context, string argument)
    {
        string sha256 = context.GetArgument<string>(argument).ToLowerInvariant();
        return context.Reader<MeasurementReader>().Knows(sha256) ? sha256 : throw new ExecutionError($"unknown model sha256 '{sha256}'");
    }
}
