using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Adoption;

public sealed class AdoptionSeriesType : ObjectGraphType<AdoptionSeries>
{
    public AdoptionSeriesType()
    {
        Name = "AdoptionSeries";
        Field(x => x.Key);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AdoptionPointType>>>>("points")
            .Description("One point per snapshot where the key occurs, oldest first.").Sized(s => s.Snapshots).Resolve(c => c.Source.Points);
    }
}
