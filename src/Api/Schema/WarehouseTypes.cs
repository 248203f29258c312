using GraphQL;
using GaugeNN.Events;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema;

public sealed class FormatCountType : ObjectGraphType<FormatCount>
{
    public FormatCountType()
    {
        Name = "FormatCount";
        Field(x => x.Name).Description("Model format in lower case: tflite, onnx, ncnn, caffe, mnn, …");
        Field(x => x.ModelFiles).Description("Model files of that format (encrypted ones not included).");
    }
}

public sealed class SnapshotType : ObjectGraphType<SnapshotSummary>
{
    public SnapshotType()
    {
        Name = "Snapshot";
        Description = "One app-store crawl with its headline counts.";
        Field(x => x.Id);
        Field(x => x.Label);
        Field<DateOnlyGraphType>("capturedAt").Resolve(c => c.Source.CapturedAt);
        Field(x => x.Apps).Description("Apps listed or scanned in the snapshot.");
        Field(x => x.AppsListed);
        Field(x => x.AppsScanned);
        Field(x => x.AppsFailed).Description("Apps with at least one scan failure.");
        Field(x => x.DlApps).Description("Apps shipping at least one model file, encrypted ones included.");
        Field(x => x.AppsWithModels).Description("Apps shipping at least one identified (not encrypted) model file.");
        Field(x => x.ModelFiles).Description("Identified model files (encrypted ones are counted apart).");
        Field(x => x.EncryptedModelFiles);
        Field(x => x.UniqueModels).Description("Distinct sha256 among identified model files.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FormatCountType>>>>("formats").Resolve(c => c.Source.Formats);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FrameworkAdoptionType>>>>("frameworks")
            .Description("Per DL framework: apps that ship its models versus apps that only link it.")
            .Resolve(c => GaugeQuery.Reader(c).FrameworkAdoption(c.Source.Id));
    }
}

public sealed class FrameworkAdoptionType : ObjectGraphType<FrameworkAdoption>
{
    public FrameworkAdoptionType()
    {
        Name = "FrameworkAdoption";
        Field(x => x.Name);
        Field(x => x.Apps).Description("Apps with any evidence of the framework (model, native-lib or dex).");
        Field(x => x.AppsWithModels).Description("Apps shipping at least one model file of it.");
        Field(x => x.AppsLinkingOnly).Description("Apps linking it (native library, DEX classes) without shipping a model.");
        Field(x => x.ModelFiles);
    }
}

public sealed class ModelFileType : ObjectGraphType<AppModelFile>
{
    public ModelFileType()
    {
        Name = "ModelFile";
        Description = "A model file inside an app, located with the corpus path syntax (`split.apk!/assets/x.tflite`, `blob@OFFSET`).";
        Field(x => x.Path);
        Field(x => x.Sha256);
        Field(x => x.Format);
        Field(x => x.Bytes);
        Field(x => x.Encrypted);
        Field(x => x.Entropy).Description("Shannon entropy, bits per byte.");
        Field(x => x.Storage).Description("stored or deflated: compression of the innermost zip entry.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("evidence").Resolve(c => c.Source.Evidence);
    }
}

public sealed class FrameworkUseType : ObjectGraphType<FrameworkUse>
{
    public FrameworkUseType()
    {
        Name = "FrameworkUse";
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("evidence")
            .Description("Kinds of evidence: model, native-lib, dex.").Resolve(c => c.Source.Evidence);
    }
}

/// <summary>An app as seen in one snapshot, with what it ships.</summary>
public sealed record AppView(AppInSnapshot App, IReadOnlyList<AppModelFile> Models, IReadOnlyList<FrameworkUse> Frameworks);

public sealed class AppType : ObjectGraphType<AppView>
{
    public AppType()
    {
        Name = "App";
        Field<NonNullGraphType<StringGraphType>>("package").Resolve(c => c.Source.App.Package);
        Field<NonNullGraphType<StringGraphType>>("snapshot").Resolve(c => c.Source.App.Snapshot);
        Field<StringGraphType>("title").Resolve(c => c.Source.App.Title);
        Field<StringGraphType>("category").Resolve(c => c.Source.App.Category);
        Field<NonNullGraphType<BooleanGraphType>>("listed").Resolve(c => c.Source.App.Listed);
        Field<NonNullGraphType<BooleanGraphType>>("scanned").Resolve(c => c.Source.App.Scanned);
        Field<LongGraphType>("versionCode").Resolve(c => c.Source.App.VersionCode);
        Field<StringGraphType>("versionName").Resolve(c => c.Source.App.VersionName);
        Field<IntGraphType>("minSdk").Resolve(c => c.Source.App.MinSdk);
        Field<IntGraphType>("targetSdk").Resolve(c => c.Source.App.TargetSdk);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelFileType>>>>("models").Resolve(c => c.Source.Models);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FrameworkUseType>>>>("frameworks").Resolve(c => c.Source.Frameworks);
    }
}

/// <summary>A snapshot with every app in it.</summary>
public sealed record SnapshotDetail(SnapshotSummary Summary, IReadOnlyList<AppView> Apps);

public sealed class SnapshotDetailType : ObjectGraphType<SnapshotDetail>
{
    public SnapshotDetailType()
    {
        Name = "SnapshotDetail";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(c => c.Source.Summary.Id);
        Field<NonNullGraphType<SnapshotType>>("summary").Resolve(c => c.Source.Summary);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppType>>>>("apps").Resolve(c => c.Source.Apps);
    }
}

public sealed class NameCountType : ObjectGraphType<NameCount>
{
    public NameCountType()
    {
        Name = "OpCount";
        Field(x => x.Name);
        Field(x => x.Count);
    }
}

public sealed class DtypeCountType : ObjectGraphType<NameCount>
{
    public DtypeCountType()
    {
        Name = "DtypeCount";
        Field<NonNullGraphType<StringGraphType>>("dtype").Resolve(c => c.Source.Name);
        Field(x => x.Count).Description("Elements of constant tensors of that dtype.");
    }
}

public sealed class TensorSpecType : ObjectGraphType<TensorSpec>
{
    public TensorSpecType()
    {
        Name = "Tensor";
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<LongGraphType>>>("shape").Description("Declared shape; null = unknown dimension.")
            .Resolve(c => c.Source.Shape);
        Field<NonNullGraphType<ListGraphType<StringGraphType>>>("dimNames")
            .Description("Per dimension, the symbol the file names it by (e.g. batch, sequence), or null.")
            .Resolve(c => c.Source.DimNames);
        Field(x => x.Dtype);
    }
}

public sealed class ModelType : ObjectGraphType<ModelSummary>
{
    public ModelType()
    {
        Name = "Model";
        Description = "A unique model (by sha256) with its dissection; metrics follow DEFINITIONS.md.";
        Field(x => x.Sha256);
        Field(x => x.Format);
        Field(x => x.Bytes);
        Field(x => x.Encrypted);
        Field(x => x.AppCount).Description("Distinct apps shipping it, over all snapshots.");
        Field<NonNullGraphType<StringGraphType>>("firstSeen").Resolve(c => c.Source.FirstSnapshot);
        Field<NonNullGraphType<StringGraphType>>("lastSeen").Resolve(c => c.Source.LastSnapshot);
        Field(x => x.AnalyserVersion, nullable: true);
        Field(x => x.Params, nullable: true);
        Field(x => x.Macs, nullable: true);
        Field(x => x.MacsUnknownNodes, nullable: true);
        Field(x => x.Flops, nullable: true).Description("2 × MACs.");
        Field(x => x.Quantized, nullable: true);
        Field(x => x.Layers, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnknownMacNodeType>>>>("macsUnknown")
            .Description("Each node whose MACs could not be inferred, and why.").Resolve(c => c.Source.MacsUnknown);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Measurements.ConditionType>>>>("metadata")
            .Description("What the file states about itself: producer, opset imports, TFLite metadata (name, version, author, licence, associated files, normalization).")
            .Resolve(c => c.Source.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Measurements.MeasurementType>>>>("measurements")
            .Description("Every measurement of this model, on every device.")
            .Resolve(c => Measurements.MeasurementLoaders.ByModel(c, c.Source.Sha256));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Measurements.ComparisonType>>>>("compare")
            .Description("This model's measurements grouped by tier, generation, backend, threads, runtime or device.")
            .Argument<NonNullGraphType<Measurements.CompareByType>>("by")
            .Resolve(c => Measurements.MeasurementLoaders.Reader(c).Compare(c.Source.Sha256, c.GetArgument<CompareBy>("by"), new MeasurementFilter()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NameCountType>>>>("ops").Resolve(c => c.Source.Ops);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DtypeCountType>>>>("weightDtypes").Resolve(c => c.Source.WeightDtypes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TensorSpecType>>>>("inputs").Resolve(c => c.Source.Inputs);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TensorSpecType>>>>("outputs").Resolve(c => c.Source.Outputs);
        Field(x => x.Task, nullable: true);
        Field(x => x.TaskRule, nullable: true);
        Field(x => x.ArchFingerprint, nullable: true);
        Field(x => x.DissectionError, nullable: true);
    }
}

/// <summary>One app across snapshots.</summary>
public sealed record AppHistory(string Package, IReadOnlyList<AppView> History);

public sealed class AppHistoryType : ObjectGraphType<AppHistory>
{
    public AppHistoryType()
    {
        Name = "AppHistory";
        Field(x => x.Package);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppType>>>>("history")
            .Description("The app in each snapshot, oldest first.").Resolve(c => c.Source.History);
    }
}

public sealed class ModelFilterType : InputObjectGraphType<ModelFilter>
{
    public ModelFilterType()
    {
        Name = "ModelFilter";
        Field(x => x.Format, nullable: true).Description("tflite, onnx, ncnn, caffe, mnn, … (any case).");
        Field(x => x.Quantized, nullable: true);
        Field(x => x.Task, nullable: true);
        Field(x => x.ArchFingerprint, nullable: true).Description("Models of one architecture (fine-tuned variants).");
    }
}

public sealed record ModelPage(IReadOnlyList<ModelSummary> Models, bool HasNextPage);

public sealed class ModelEdgeType : ObjectGraphType<ModelSummary>
{
    public ModelEdgeType()
    {
        Name = "ModelEdge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Sha256);
        Field<NonNullGraphType<ModelType>>("node").Resolve(c => c.Source);
    }
}

public sealed class PageInfoType : ObjectGraphType<ModelPage>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field(x => x.HasNextPage);
        Field<StringGraphType>("endCursor").Resolve(c => c.Source.Models.LastOrDefault()?.Sha256);
    }
}

public sealed class ModelConnectionType : ObjectGraphType<ModelPage>
{
    public ModelConnectionType()
    {
        Name = "ModelConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelEdgeType>>>>("edges").Resolve(c => c.Source.Models);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => c.Source);
    }
}

public sealed class UnknownMacNodeType : ObjectGraphType<UnknownMacNode>
{
    public UnknownMacNodeType()
    {
        Name = "UnknownMacNode";
        Field(x => x.Node);
        Field(x => x.Op);
        Field(x => x.Reason);
    }
}
