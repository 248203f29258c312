using GaugeNN.Api.Schema.Connections;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

public sealed class DeviceType : ObjectGraphType<Device>
{
    public DeviceType()
    {
        Name = "Device";
        Description = "A device measurements are taken on: a phone (by tier and generation) or the host.";
        Field(x => x.Id);
        Field(x => x.Serial, nullable: true);
        Field(x => x.Manufacturer, nullable: true);
        Field(x => x.Model, nullable: true).Description("e.g. SM-G991B");
        Field(x => x.Family, nullable: true).Description("e.g. Galaxy S");
        Field(x => x.Soc, nullable: true);
        Field(x => x.Abi, nullable: true);
        Field(x => x.Sdk, nullable: true);
        Field(x => x.RamMb, nullable: true);
        Field(x => x.Cores, nullable: true);
        Field(x => x.BigCores, nullable: true);
        Field(x => x.LittleCores, nullable: true);
        Field(x => x.BigCoreMaxMhz, nullable: true);
        Field(x => x.CpuModel, nullable: true);
        Field(x => x.Tier).Description("low, mid, high, or host");
        Field(x => x.Year, nullable: true).Description("Release year: the generation.");
        Field(x => x.Source).Description("The catalogue entry that matched, or the rule that inferred tier and year.");
        Field(x => x.Inferred).Description("Tier and year come from the rule, not the catalogue.");
        Field<NonNullGraphType<ConnectionType<MeasurementType, Measurement>>>("measurements")
            .Description("The measurements taken on it, in run id order.")
            .PageArguments(100)
            .Resolve(c => MeasurementLoaders.ByDevice(c, c.Source.Id));
    }
}
