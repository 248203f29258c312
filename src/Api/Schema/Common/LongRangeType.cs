using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Common;

public sealed class LongRangeType : InputObjectGraphType<LongRange>
{
    public LongRangeType()
    {
        Name = "LongRange";
        Description = "Inclusive bounds; a missing bound is open.";
        Field(x => x.Min, nullable: true);
        Field(x => x.Max, nullable: true);
    }
}
