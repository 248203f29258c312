using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Apps;

public sealed class AppOrderFieldType : EnumerationGraphType<AppOrderField>
{
    public AppOrderFieldType()
    {
        Name = "AppOrderField";
    }
}
