using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

public sealed class MeasurementType : ObjectGraphType<Measurement>
{
    public MeasurementType()
    {
        Name = "Measurement";
        Description = "One benchmark run of a model on a device with one config. Times in ms, memory in MiB, energy in mJ, power in mW.";
        Field(x => x.RunId);
        Field(x => x.PlanId, nullable: true);
        Field(x => x.ModelSha256);
        Field(x => x.DeviceId);
        Field<DeviceType>("device").Resolve(c => MeasurementLoaders.Device(c, c.Source.DeviceId));
        Field(x => x.Runtime);
        Field(x => x.RuntimeVersion, nullable: true);
        Field(x => x.Backend);
        Field(x => x.Delegation, nullable: true).Description("full, partial or none of the graph on the delegate.");
        Field(x => x.DelegateKernels, nullable: true);
        Field(x => x.Threads, nullable: true);
        Field(x => x.WarmupRuns, nullable: true);
        Field(x => x.TimedRuns, nullable: true);
        Field(x => x.InitMs, nullable: true);
        Field(x => x.FirstInferenceMs, nullable: true);
        Field(x => x.WarmupMeanMs, nullable: true);
        Field(x => x.MeanMs, nullable: true);
        Field(x => x.StdMs, nullable: true);
        Field(x => x.MinMs, nullable: true);
        Field(x => x.MaxMs, nullable: true);
        Field(x => x.P5Ms, nullable: true);
        Field(x => x.P50Ms, nullable: true);
        Field(x => x.P90Ms, nullable: true);
        Field(x => x.P95Ms, nullable: true);
        Field(x => x.P99Ms, nullable: true);
        Field(x => x.PeakMemoryMb, nullable: true);
        Field(x => x.EnergyMjPerInference, nullable: true);
        Field(x => x.AvgPowerMw, nullable: true);
        Field(x => x.PowerSamples, nullable: true);
        Field(x => x.PowerSampleHz, nullable: true);
        Field(x => x.EnergyMethod, nullable: true);
        Field(x => x.TempBeforeC, nullable: true);
        Field(x => x.TempAfterC, nullable: true);
        Field(x => x.Tool);
        Field(x => x.ToolVersion, nullable: true);
        Field(x => x.Provenance).Description("measured (here) or imported (from a file).");
        Field(x => x.SourceFile, nullable: true);
        Field(x => x.SourceSha256, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConditionType>>>>("conditions")
            .Resolve(c => c.Source.Conditions.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
        Field(x => x.RecordedAt);
    }
}

public sealed class ConditionType : ObjectGraphType<KeyValuePair<string, string>>
{
    public ConditionType()
    {
        Name = "Condition";
        Description = "What else changes a result: governor, screen, battery, pinning, cool-down, tool-specific figures.";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("value").Resolve(c => c.Source.Value);
    }
}
