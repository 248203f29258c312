using GaugeNN.Api.Limits;
using GaugeNN.Api.Loading;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Snapshots;

public sealed class SnapshotType : ObjectGraphType<SnapshotNode>
{
    public SnapshotType()
    {
        Name = "Snapshot";
        Description = "One app-store crawl with its headline counts.";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(c => c.Source.Summary.Id);
        Field<NonNullGraphType<StringGraphType>>("label").Resolve(c => c.Source.Summary.Label);
        Field<DateOnlyGraphType>("capturedAt").Description("Capture date: snapshots are ordered by it, then by id.").Resolve(c => c.Source.Summary.CapturedAt);
        Field<NonNullGraphType<LongGraphType>>("apps").Description("Apps listed or scanned in the snapshot.").Resolve(c => c.Source.Summary.Apps);
        Field<NonNullGraphType<LongGraphType>>("appsListed").Resolve(c => c.Source.Summary.AppsListed);
        Field<NonNullGraphType<LongGraphType>>("appsScanned").Resolve(c => c.Source.Summary.AppsScanned);
        Field<NonNullGraphType<LongGraphType>>("appsFailed").Description("Apps with at least one scan failure.").Resolve(c => c.Source.Summary.AppsFailed);
        Field<NonNullGraphType<LongGraphType>>("dlApps").Description("Apps shipping at least one model file, encrypted ones included.").Resolve(c => c.Source.Summary.DlApps);
        Field<NonNullGraphType<LongGraphType>>("appsWithModels").Description("Apps shipping at least one identified (not encrypted) model file.").Resolve(c => c.Source.Summary.AppsWithModels);
        Field<NonNullGraphType<LongGraphType>>("modelFiles").Description("Identified model files (encrypted ones are counted apart).").Resolve(c => c.Source.Summary.ModelFiles);
        Field<NonNullGraphType<LongGraphType>>("encryptedModelFiles").Resolve(c => c.Source.Summary.EncryptedModelFiles);
        Field<NonNullGraphType<LongGraphType>>("uniqueModels").Description("Distinct sha256 among identified model files.").Resolve(c => c.Source.Summary.UniqueModels);
        Field<NonNullGraphType<LongGraphType>>("quantizedModels")
            .Description("Unique identified models of the snapshot whose weights are quantised.")
            .Resolve(c => SnapshotLoaders.Precision(c, c.Source).Then(p => p.Quantized));
        Field<NonNullGraphType<LongGraphType>>("precisionKnownModels")
            .Description("Unique identified models of the snapshot whose precision is known (dissected).")
            .Resolve(c => SnapshotLoaders.Precision(c, c.Source).Then(p => p.Known));
        Field<FloatGraphType>("quantizedShare")
            .Description("quantizedModels / precisionKnownModels; null when no precision is known.")
            .Resolve(c => SnapshotLoaders.Precision(c, c.Source).Then(p => p.Share));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FormatCountType>>>>("formats")
            .Description("Identified model files per format, most first.").Sized(12).Resolve(c => c.Source.Summary.Formats);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FrameworkAdoptionType>>>>("frameworks")
            .Description("Per DL framework: apps that ship its models versus apps that only link it.")
            .Sized(12).Resolve(c => SnapshotLoaders.Frameworks(c, c.Source));
    }
}
