using GraphQL.Types;

namespace GaugeNN.Api.Schema.Common;

public enum OrderDirection
{
    Asc,
    Desc,
}

public sealed class OrderDirectionType : EnumerationGraphType<OrderDirection>
{
    public OrderDirectionType()
    {
        Name = "OrderDirection";
    }
}
