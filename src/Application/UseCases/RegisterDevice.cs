using GaugeNN.Application.Measuring;
using GaugeNN.Events;
using GaugeNN.Measure.Devices;
using GaugeNN.Warehouse.EventStore;

namespace GaugeNN.Application.UseCases;

/// <summary>A device id that is neither registered nor a phone model of the catalogue.</summary>
public sealed class UnknownDeviceException(string message) : Exception(message);

/// <summary>
/// Registers the devices measurements are taken on, each in its own stream: the host (its CPU and memory read from the
/// machine), a phone over ADB (from its properties), or a catalogued phone model named on the command line of an
/// import. A registration is appended only when its facts changed; the latest one wins.
/// </summary>
public sealed class RegisterDevice(Gauge gauge)
{
    public Task<DeviceRegistered> HostAsync(CancellationToken ct) => RecordAsync(HostDevice.Describe(gauge.Time), ct);

    /// <summary>A device from its properties (a phone's getprop), classified by the catalogue.</summary>
    public Task<DeviceRegistered> PropertiesAsync(string deviceId, DeviceProperties properties, CancellationToken ct) =>
        RecordAsync(DeviceCatalogue.Embedded.Classify(deviceId, properties, gauge.Time.GetUtcNow()), ct);

    /// <summary>
    /// The device an import names: a registered device id, else a phone model of the catalogue (e.g. <c>SM-G991B</c>),
    /// registered under that model's name.
    /// </summary>
    public async Task<DeviceRegistered> ResolveAsync(string id, CancellationToken ct)
    {
        if (await LatestAsync(id, ct) is { } known) return known;
        if (id == HostDevice.Id) return await HostAsync(ct);
        var phone = DeviceCatalogue.Embedded.Phones.FirstOrDefault(p => string.Equals(p.Model, id, StringComparison.OrdinalIgnoreCase))
                    ?? throw new UnknownDeviceException(
                        $"device '{id}' is neither registered (see `gaugenn devices`) nor a phone model of the catalogue (schemas/devices/catalogue.json, e.g. SM-G991B)");
        return await PropertiesAsync(phone.Model, new DeviceProperties { Manufacturer = phone.Manufacturer, Model = phone.Model }, ct);
    }

    private async Task<DeviceRegistered> RecordAsync(DeviceRegistered device, CancellationToken ct)
    {
        var log = new EventLog(gauge.Store);
        if (await LatestAsync(device.DeviceId, ct) is { } previous && previous with { At = default } == device with { At = default })
            return previous;
        await log.AppendAsync(StreamKeys.Device(device.DeviceId), device, ct);
        return device;
    }

    private async Task<DeviceRegistered?> LatestAsync(string deviceId, CancellationToken ct) =>
        (await new EventLog(gauge.Store).StreamAsync(StreamKeys.Device(deviceId), ct)).OfType<DeviceRegistered>().LastOrDefault();
}
