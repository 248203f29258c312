using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Adoption;

public sealed class AdoptionPointType : ObjectGraphType<AdoptionPoint>
{
    public AdoptionPointType()
    {
        Name = "AdoptionPoint";
        Field(x => x.Snapshot);
        Field(x => x.Apps).Description("Apps shipping at least one model of the key.");
        Field(x => x.OutOf).Description("Apps the share is taken of: the snapshot's apps (the category's for CATEGORY).");
        Field(x => x.Share);
    }
}
