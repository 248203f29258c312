using GaugeNN.Api.Limits;
using GaugeNN.Api.Schema.Apps;
using GaugeNN.Api.Schema.Common;
using GaugeNN.Api.Schema.Connections;
using GaugeNN.Api.Schema.Measurements;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class ModelType : ObjectGraphType<ModelNode>
{
    public ModelType()
    {
        Name = "Model";
        Description = "A unique model (by sha256) with its latest dissection; metrics follow DEFINITIONS.md.";
        Field<NonNullGraphType<StringGraphType>>("sha256").Resolve(c => c.Source.Model.Sha256);
        Field<NonNullGraphType<StringGraphType>>("format").Description("Its format in the latest snapshot it ships in.").Resolve(c => c.Source.Model.Format);
        Field<NonNullGraphType<LongGraphType>>("bytes").Resolve(c => c.Source.Model.Bytes);
        Field<NonNullGraphType<BooleanGraphType>>("encrypted").Description("Every file of it is encrypted.").Resolve(c => c.Source.Model.Encrypted);
        Field<NonNullGraphType<LongGraphType>>("appCount").Description("Distinct apps shipping it, over all snapshots (reuse).").Resolve(c => c.Source.Model.AppCount);
        Field<NonNullGraphType<LongGraphType>>("fileCount").Description("Model files with these bytes, over all snapshots.").Resolve(c => c.Source.Model.FileCount);
        Field<NonNullGraphType<StringGraphType>>("firstSeen").Description("The first snapshot it ships in.").Resolve(c => c.Source.Model.FirstSnapshot);
        Field<DateOnlyGraphType>("firstSeenAt").Description("Capture date of that snapshot.").Resolve(c => c.Source.Model.FirstSeenAt);
        Field<NonNullGraphType<StringGraphType>>("lastSeen").Description("The latest snapshot it ships in.").Resolve(c => c.Source.Model.LastSnapshot);
        Field<IntGraphType>("analyserVersion").Resolve(c => c.Source.Model.AnalyserVersion);
        Field<LongGraphType>("params").Resolve(c => c.Source.Model.Params);
        Field<LongGraphType>("macs").Description("Multiply-accumulates of one inference, known nodes only.").Resolve(c => c.Source.Model.Macs);
        Field<LongGraphType>("macsUnknownNodes").Resolve(c => c.Source.Model.MacsUnknownNodes);
        Field<LongGraphType>("flops").Description("2 × MACs.").Resolve(c => c.Source.Model.Flops);
        Field<BooleanGraphType>("quantized").Resolve(c => c.Source.Model.Quantized);
        Field<IntGraphType>("layers").Resolve(c => c.Source.Model.Layers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnknownMacNodeType>>>>("macsUnknown")
            .Description("Each node whose MACs could not be inferred, and why.").Sized(20).Resolve(c => c.Source.Model.MacsUnknown);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConditionType>>>>("metadata")
            .Description("What the file states about itself: producer, opset imports, TFLite metadata (name, version, author, licence, associated files, normalization).")
            .Sized(10).Resolve(c => c.Source.Model.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OpCountType>>>>("ops").Description("Operator histogram.").Sized(30).Resolve(c => c.Source.Model.Ops);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DtypeCountType>>>>("weightDtypes").Sized(4).Resolve(c => c.Source.Model.WeightDtypes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TensorType>>>>("inputs").Sized(4).Resolve(c => c.Source.Model.Inputs);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TensorType>>>>("outputs").Sized(4).Resolve(c => c.Source.Model.Outputs);
        Field<StringGraphType>("task").Description("Inferred task.").Resolve(c => c.Source.Model.Task);
        Field<StringGraphType>("taskRule").Description("The rule that chose the task.").Resolve(c => c.Source.Model.TaskRule);
        Field<StringGraphType>("archFingerprint").Description("Hash of the architecture without weights: same = same network.").Resolve(c => c.Source.Model.ArchFingerprint);
        Field<StringGraphType>("dissectionError").Resolve(c => c.Source.Model.DissectionError);
        Field<NonNullGraphType<ConnectionType<AppType, AppNode>>>("apps")
            .Description("Apps shipping it: one node per app per snapshot, in capture then package order.")
            .Argument<StringGraphType>("snapshot", a => a.Description = "Only the apps of this snapshot.")
            .PageArguments(50)
            .Resolve(c => AppLoaders.Shipping(c, c.Source.Model.Sha256, Known.OptionalSnapshot(c, c.GetArgument<string?>("snapshot"), c.Source.Schema), c.Source.Schema));
        Field<NonNullGraphType<ConnectionType<ModelType, ModelNode>>>("relatives")
            .Description("Other models with the same architecture fingerprint (fine-tuned or re-quantised variants), most-shipped first.")
            .PageArguments(50)
            .Resolve(c => ModelLoaders.Relatives(c, c.Source));
        Field<NonNullGraphType<ConnectionType<MeasurementType, Measurement>>>("measurements")
            .Description("Its measurements on every device, in run id order.")
            .PageArguments(100)
            .Resolve(c => MeasurementLoaders.ByModel(c, c.Source.Model.Sha256));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ComparisonType>>>>("compare")
            .Description("Its measurements grouped by tier, generation, backend, threads, runtime or device.")
            .Argument<NonNullGraphType<CompareByType>>("by")
            .Sized(s => Math.Max(6, s.Devices))
            .Resolve(c => MeasurementLoaders.Compare(c, c.Source.Model.Sha256, c.GetArgument<CompareBy>("by")));
    }
}
