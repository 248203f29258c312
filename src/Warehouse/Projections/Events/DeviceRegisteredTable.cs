using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="DeviceRegistered"/>: a device with its tier and generation; the latest registration wins.</summary>
public static class DeviceRegisteredTable
{
    public static readonly EventTable<DeviceRegistered> Table = new("ev_device_registered",
        (e, changes) => changes.Devices.Add(e.DeviceId),
        Col<DeviceRegistered>.Text("device_id", e => e.DeviceId),
        Col<DeviceRegistered>.Text("serial", e => e.Serial),
        Col<DeviceRegistered>.Text("manufacturer", e => e.Manufacturer),
        Col<DeviceRegistered>.Text("model", e => e.Model),
        Col<DeviceRegistered>.Text("family", e => e.Family),
        Col<DeviceRegistered>.Text("soc", e => e.Soc),
        Col<DeviceRegistered>.Text("abi", e => e.Abi),
        Col<DeviceRegistered>.Int32("sdk", e => e.Sdk),
        Col<DeviceRegistered>.Int64("ram_mb", e => e.RamMb),
        Col<DeviceRegistered>.Int32("cores", e => e.Cores),
        Col<DeviceRegistered>.Int32("big_cores", e => e.BigCores),
        Col<DeviceRegistered>.Int32("little_cores", e => e.LittleCores),
        Col<DeviceRegistered>.Int32("big_core_max_mhz", e => e.BigCoreMaxMhz),
        Col<DeviceRegistered>.Text("cpu_model", e => e.CpuModel),
        Col<DeviceRegistered>.Text("tier", e => e.Tier),
        Col<DeviceRegistered>.Int32("year", e => e.Year),
        Col<DeviceRegistered>.Text("source", e => e.Source),
        Col<DeviceRegistered>.Bool("inferred", e => e.Inferred),
        Col<DeviceRegistered>.Time("happened_at", e => e.At));
}
