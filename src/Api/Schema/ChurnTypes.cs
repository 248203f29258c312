using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Schema;

public sealed class ChurnSummaryType : ObjectGraphType<ChurnSummary>
{
    public ChurnSummaryType()
    {
        Name = "ChurnSummary";
        Description = "What changed between two consecutive snapshots; model counts cover continuing apps unless named otherwise.";
        Field(x => x.AppsBefore);
        Field(x => x.AppsAfter);
        Field(x => x.AppsContinuing);
        Field(x => x.AppsNew);
        Field(x => x.AppsDelisted);
        Field(x => x.AppsVersionChanged);
        Field(x => x.AppsAdoptedDl);
        Field(x => x.AppsDroppedDl);
        Field(x => x.AppsWithModelChanges);
        Field(x => x.AppsWithUpdatedModels);
        Field(x => x.AppsFrameworkMigrated);
        Field(x => x.ModelsUnchanged);
        Field(x => x.ModelsUpdated);
        Field(x => x.ModelsAdded);
        Field(x => x.ModelsRemoved);
        Field(x => x.NewAppsWithModels);
        Field(x => x.ModelsInNewApps);
        Field(x => x.ModelsInDelistedApps);
        Field(x => x.UniqueModelSha256New);
        Field(x => x.UniqueModelSha256Gone);
    }
}

public sealed class ModelRefType : ObjectGraphType<ModelRef>
{
    public ModelRefType()
    {
        Name = "ModelRef";
        Field(x => x.Path);
        Field(x => x.Sha256);
        Field(x => x.Format);
    }
}

public sealed class ModelChangeType : ObjectGraphType<ModelChange>
{
    public ModelChangeType()
    {
        Name = "ModelChange";
        Field<NonNullGraphType<ModelRefType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<ModelRefType>>("to").Resolve(c => c.Source.To);
    }
}

public sealed class AppChurnType : ObjectGraphType<AppChurn>
{
    public AppChurnType()
    {
        Name = "AppChurn";
        Field(x => x.Package);
        Field(x => x.Status).Description("new, delisted or continuing.");
        Field(x => x.VersionFrom, nullable: true);
        Field(x => x.VersionTo, nullable: true);
        Field(x => x.Dl, nullable: true).Description("Continuing apps: adopted, dropped, kept or none.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("frameworksBefore").Resolve(c => c.Source.FrameworksBefore);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("frameworksAfter").Resolve(c => c.Source.FrameworksAfter);
        Field(x => x.FrameworkMigration).Description("The app lost one framework and gained another.");
        Field(x => x.ModelsBefore);
        Field(x => x.ModelsAfter);
        Field(x => x.ModelsUnchanged);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelChangeType>>>>("updated").Resolve(c => c.Source.Updated);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelRefType>>>>("added").Resolve(c => c.Source.Added);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelRefType>>>>("removed").Resolve(c => c.Source.Removed);
    }
}

/// <summary>The pair of snapshots a churn query asked about.</summary>
public sealed record ChurnPair(string From, string To, ChurnSummary Summary, string ChurnSchema, string AppSchema);

public sealed class ChurnType : ObjectGraphType<ChurnPair>
{
    public ChurnType()
    {
        Name = "Churn";
        Field(x => x.From);
        Field(x => x.To);
        Field<NonNullGraphType<ChurnSummaryType>>("summary").Resolve(c => c.Source.Summary);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppChurnType>>>>("apps")
            .Description($"Apps in package order; at most {Paging.MaxPage} per page, continue with after: the last package seen.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .Argument<StringGraphType>("after")
            .Resolve(c => c.RequestServices!.GetRequiredService<ChurnReader>().At(c.Source.ChurnSchema, c.Source.AppSchema)
                .Apps(c.Source.From, c.Source.To, Paging.First(c), c.GetArgument<string?>("after")));
    }
}
