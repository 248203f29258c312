using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class ModelMetricType : EnumerationGraphType<ModelMetric>
{
    public ModelMetricType()
    {
        Name = "ModelMetric";
    }
}
