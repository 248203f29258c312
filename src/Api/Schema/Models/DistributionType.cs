using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class DistributionType : ObjectGraphType<Distribution>
{
    public const int MaxBins = 200;

    public DistributionType()
    {
        Name = "Distribution";
        Description = "How identified unique models spread over a metric.";
        Field<NonNullGraphType<ModelMetricType>>("of").Resolve(c => c.Source.Of);
        Field(x => x.Snapshot, nullable: true).Description("The snapshot the models ship in; null: every snapshot.");
        Field(x => x.Models).Description("Unique identified models considered.");
        Field(x => x.WithValue).Description("Of them, those with a known value.");
        Field(x => x.Min, nullable: true);
        Field(x => x.Max, nullable: true);
        Field(x => x.Median, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DistributionBinType>>>>("bins")
            .Description("A bin [0, 0] for zeros when there are any, then bins equally wide in log10 from the smallest positive value to the largest.")
            .Sized(MaxBins + 1).Resolve(c => c.Source.Bins);
    }
}
