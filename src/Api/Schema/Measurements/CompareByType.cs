using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

public sealed class CompareByType : EnumerationGraphType<CompareBy>
{
    public CompareByType()
    {
        Name = "CompareBy";
    }
}
