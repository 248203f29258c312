using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Adoption;

public sealed class AdoptionByType : EnumerationGraphType<AdoptionDimension>
{
    public AdoptionByType()
    {
        Name = "AdoptionBy";
    }
}
