using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Churn;

public sealed class ModelChangeType : ObjectGraphType<ModelChange>
{
    public ModelChangeType()
    {
        Name = "ModelChange";
        Field<NonNullGraphType<ModelRefType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<ModelRefType>>("to").Resolve(c => c.Source.To);
    }
}
