using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class ModelOrderFieldType : EnumerationGraphType<ModelOrderField>
{
    public ModelOrderFieldType()
    {
        Name = "ModelOrderField";
    }
}
