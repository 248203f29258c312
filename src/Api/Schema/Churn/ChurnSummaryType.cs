using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Churn;

public sealed class ChurnSummaryType : ObjectGraphType<ChurnSummary>
{
    public ChurnSummaryType()
    {
        Name = "ChurnSummary";
        Description = "What changed between two snapshots; model counts cover continuing apps unless named otherwise.";
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
