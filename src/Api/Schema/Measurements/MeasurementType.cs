using GaugeNN.Api.Limits;
using GaugeNN.Api.Schema.Common;
using GaugeNN.Api.Schema.Models;
using GaugeNN.Warehouse.Projections;
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
        Field<ModelType>("model")
            .Description("The model measured, when it ships in an app of the warehouse.")
            .Resolve(c => ModelLoaders.BySha256(c, c.Source.ModelSha256, SqlContext.Main));
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
            .Sized(10).Resolve(c => c.Source.Conditions.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
        Field(x => x.RecordedAt);
    }
}
