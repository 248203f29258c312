using GaugeNN.Api.Limits;
using GaugeNN.Api.Loading;
using GaugeNN.Api.Schema.Models;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Apps;

public sealed class AppType : ObjectGraphType<AppNode>
{
    public AppType()
    {
        Name = "App";
        Description = "An app as it is in one snapshot.";
        Field<NonNullGraphType<StringGraphType>>("package").Resolve(c => c.Source.App.Package);
        Field<NonNullGraphType<StringGraphType>>("snapshot").Resolve(c => c.Source.App.Snapshot);
        Field<StringGraphType>("title").Resolve(c => c.Source.App.Title);
        Field<StringGraphType>("category").Resolve(c => c.Source.App.Category);
        Field<StringGraphType>("installs").Description("Store install bucket as listed, e.g. 10,000,000+.").Resolve(c => c.Source.App.Installs);
        Field<LongGraphType>("minInstalls").Description("The install bucket's lower bound (its digits).").Resolve(c => c.Source.App.MinInstalls);
        Field<FloatGraphType>("rating").Resolve(c => c.Source.App.Rating);
        Field<IntGraphType>("rank").Description("Rank in its category.").Resolve(c => c.Source.App.Rank);
        Field<NonNullGraphType<BooleanGraphType>>("listed").Description("A listing line names it.").Resolve(c => c.Source.App.Listed);
        Field<NonNullGraphType<BooleanGraphType>>("scanned").Description("Its files were read.").Resolve(c => c.Source.App.Scanned);
        Field<LongGraphType>("versionCode").Resolve(c => c.Source.App.VersionCode);
        Field<StringGraphType>("versionName").Resolve(c => c.Source.App.VersionName);
        Field<IntGraphType>("minSdk").Resolve(c => c.Source.App.MinSdk);
        Field<IntGraphType>("targetSdk").Resolve(c => c.Source.App.TargetSdk);
        Field<NonNullGraphType<BooleanGraphType>>("dl").Description("Ships at least one model file, encrypted ones included.").Resolve(c => c.Source.App.Dl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelFileType>>>>("models")
            .Description("Its model files, in path order.").Sized(5)
            .Resolve(c =>
            {
                string schema = c.Source.Schema;
                return AppLoaders.ModelFiles(c, c.Source).Then(files => files.Select(f => new ModelFileNode(f, schema)).ToList());
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FrameworkUseType>>>>("frameworks")
            .Description("DL frameworks it ships models of or links.").Sized(3)
            .Resolve(c => AppLoaders.Frameworks(c, c.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppType>>>>("history")
            .Description("This app in every snapshot it is in (this one included), in capture order.").Sized(s => s.Snapshots)
            .Resolve(c => AppLoaders.History(c, c.Source.App.Package, c.Source.Schema));
    }
}
