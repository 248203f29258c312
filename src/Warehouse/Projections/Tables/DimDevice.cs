using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class DimDevice
{
    public static readonly DerivedTable Table = new("dim_device",
        "A device measurements are taken on, with its tier and generation (latest registration).", Scope.Device,
        [
            new("device_id", "VARCHAR", "stable id: host, or manufacturer-model-serial"),
            new("serial", "VARCHAR", "adb serial when registered"),
            new("manufacturer", "VARCHAR", "ro.product.manufacturer"),
            new("model", "VARCHAR", "ro.product.model (e.g. SM-G991B)"),
            new("family", "VARCHAR", "product family (e.g. Galaxy S)"),
            new("soc", "VARCHAR", "system on chip"),
            new("abi", "VARCHAR", "ro.product.cpu.abi"),
            new("sdk", "INTEGER", "Android API level"),
            new("ram_mb", "BIGINT", "RAM in MiB"),
            new("cores", "INTEGER", "CPU cores"),
            new("big_cores", "INTEGER", "cores of the fastest cluster"),
            new("little_cores", "INTEGER", "cores of the other clusters"),
            new("big_core_max_mhz", "INTEGER", "maximum frequency of the fastest cluster, MHz"),
            new("cpu_model", "VARCHAR", "CPU model name (host)"),
            new("tier", "VARCHAR", "low, mid, high, or host"),
            new("year", "INTEGER", "release year (the generation)"),
            new("source", "VARCHAR", "the catalogue entry that matched, or the rule that inferred tier and year"),
            new("inferred", "BOOLEAN", "tier and year come from a rule, not the catalogue"),
            new("registered_at", "TIMESTAMP WITH TIME ZONE", "when it was (last) registered"),
        ],
        ctx => $"""
            SELECT device_id, serial, manufacturer, model, family, soc, abi, sdk, ram_mb, cores, big_cores, little_cores,
                   big_core_max_mhz, cpu_model, tier, year, source, inferred, happened_at AS registered_at
            FROM (SELECT *, row_number() OVER (PARTITION BY device_id ORDER BY seq DESC) AS rn
                  FROM {ctx.Events(DeviceRegisteredTable.Table)} WHERE {ctx.In(Scope.Device, "device_id")})
            WHERE rn = 1
            """);
}
