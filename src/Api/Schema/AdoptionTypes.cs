using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema;

public sealed class AdoptionDimensionType : EnumerationGraphType<AdoptionDimension>
{
    public AdoptionDimensionType()
    {
        Name = "AdoptionBy";
    }
}

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

public sealed class AdoptionSeriesType : ObjectGraphType<AdoptionSeries>
{
    public AdoptionSeriesType()
    {
        Name = "AdoptionSeries";
        Field(x => x.Key);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AdoptionPointType>>>>("points")
            .Description("One point per snapshot where the key occurs, oldest first.").Resolve(c => c.Source.Points);
    }
}
