using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Measurements;

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
