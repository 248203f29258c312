using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

public sealed class MeasurementFilterType : InputObjectGraphType<MeasurementFilter>
{
    public MeasurementFilterType()
    {
        Name = "MeasurementFilter";
        Field(x => x.Model, nullable: true).Description("Model sha256.");
        Field(x => x.Device, nullable: true).Description("Device id.");
        Field(x => x.Tier, nullable: true);
        Field(x => x.Runtime, nullable: true);
        Field(x => x.Backend, nullable: true);
        Field(x => x.Threads, nullable: true);
        Field(x => x.Family, nullable: true).Description("Device family, e.g. Galaxy S.");
        Field(x => x.Year, nullable: true).Description("Device release year.");
    }
}
