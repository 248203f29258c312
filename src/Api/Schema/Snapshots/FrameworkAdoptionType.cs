using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Snapshots;

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
