using GaugeNN.Api.Schema.Common;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Apps;

public sealed class AppOrderType : InputObjectGraphType<AppOrder>
{
    public AppOrderType()
    {
        Name = "AppOrder";
        Description = "Missing values sort last in both directions; ties break by package.";
        Field<NonNullGraphType<AppOrderFieldType>>("field");
        Field<NonNullGraphType<OrderDirectionType>>("direction").DefaultValue(OrderDirection.Asc);
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new AppOrder((AppOrderField)value["field"]!, value.TryGetValue("direction", out var d) && d is OrderDirection.Desc);
}
