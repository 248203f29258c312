using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

public sealed class CompareByType : EnumerationGraphType<CompareBy>
{
    public CompareByType()
    {
        Name = "CompareBy";
    }
}

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
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("deviceIds").Resolve(c => c.Source.DeviceIds);
    }
}

public sealed class VariantSavingType : ObjectGraphType<VariantSaving>
{
    public VariantSavingType()
    {
        Name = "VariantSaving";
        Description = "A model and a variant of it (e.g. its quantised twin) on the same device, runtime and backend.";
        Field(x => x.DeviceId);
        Field(x => x.Tier);
        Field(x => x.Year, nullable: true);
        Field(x => x.Runtime);
        Field(x => x.Backend);
        Field(x => x.ModelP50Ms, nullable: true);
        Field(x => x.VariantP50Ms, nullable: true);
        Field(x => x.LatencySaving, nullable: true).Description("1 - variant p50 / model p50 (0.4 = 40 % faster).");
        Field(x => x.ModelEnergyMj, nullable: true);
        Field(x => x.VariantEnergyMj, nullable: true);
        Field(x => x.EnergySaving, nullable: true).Description("1 - variant energy / model energy.");
    }
}

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
