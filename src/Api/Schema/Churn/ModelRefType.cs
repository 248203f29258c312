using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Churn;

public sealed class ModelRefType : ObjectGraphType<ModelRef>
{
    public ModelRefType()
    {
        Name = "ModelRef";
        Field(x => x.Path);
        Field(x => x.Sha256);
        Field(x => x.Format);
    }
}
