using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

public sealed class ComparisonType : ObjectGraphType<Comparison>
{
    public ComparisonType()
    {
        Name = "Comparison";
        Description = "One group of a model's measurements. Figures are the median over the group's runs of each run's figure (one run: its own, exactly).";
        Field(x => x.Key).Description("The tier, the year (generation), the backend, the threads, the runtime or the device.");
        Field(x => x.Devices);
        Field(x => x.Runs);
        Field(x => x.MeanMs, nullable: true);
        Field(x => x.P50Ms, nullable: true);
        Field(x => x.P90Ms, nullable: true);
        Field(x => x.P99Ms, nullable: true);
        Field(x => x.EnergyMjPerInference, nullable: true);
        Field(x => x.PeakMemoryMb, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("deviceIds").Sized(s => s.Devices).Resolve(c => c.Source.DeviceIds);
    }
}
