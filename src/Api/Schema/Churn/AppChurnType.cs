using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Churn;

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
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("frameworksBefore").Sized(3).Resolve(c => c.Source.FrameworksBefore);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("frameworksAfter").Sized(3).Resolve(c => c.Source.FrameworksAfter);
        Field(x => x.FrameworkMigration).Description("The app lost one framework and gained another.");
        Field(x => x.ModelsBefore);
        Field(x => x.ModelsAfter);
        Field(x => x.ModelsUnchanged);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelChangeType>>>>("updated").Sized(5).Resolve(c => c.Source.Updated);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelRefType>>>>("added").Sized(5).Resolve(c => c.Source.Added);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelRefType>>>>("removed").Sized(5).Resolve(c => c.Source.Removed);
    }
}
