using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class DistributionBinType : ObjectGraphType<DistributionBin>
{
    public DistributionBinType()
    {
        Name = "DistributionBin";
        Field(x => x.From).Description("Lower bound, inclusive.");
        Field(x => x.To).Description("Upper bound, exclusive (inclusive for the last bin).");
        Field(x => x.Models);
    }
}
