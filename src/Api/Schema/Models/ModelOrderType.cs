using GaugeNN.Api.Schema.Common;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class ModelOrderType : InputObjectGraphType<ModelOrder>
{
    public ModelOrderType()
    {
        Name = "ModelOrder";
        Description = "Missing values sort last in both directions; ties break by sha256.";
        Field<NonNullGraphType<ModelOrderFieldType>>("field");
        Field<NonNullGraphType<OrderDirectionType>>("direction").DefaultValue(OrderDirection.Desc);
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new ModelOrder((ModelOrderField)value["field"]!, !value.TryGetValue("direction", out var d) || d is not OrderDirection.Asc);
}
