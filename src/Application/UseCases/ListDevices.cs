using GaugeNN.Events;
using GaugeNN.Measure.Devices;
using Marten;
using Marten.Events;

namespace GaugeNN.Application.UseCases;

/// <summary>A device measurements can be taken on: its latest registration, or (for the host not yet registered) its live description.</summary>
public sealed record ListedDevice(DeviceRegistered Device, bool Registered);

/// <summary>
/// Every registered device (the latest registration of each, from the event store: no warehouse or host needed), and
/// the host, which is always a device: described from the machine when no bench has registered it yet. Reading never
/// appends.
/// </summary>
public sealed class ListDevices(Gauge gauge)
{
    public async Task<IReadOnlyList<ListedDevice>> RunAsync(CancellationToken ct)
    {
        await using var session = gauge.Store.QuerySession();
        var registrations = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(DeviceRegistered)))
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        var latest = new Dictionary<string, DeviceRegistered>(StringComparer.Ordinal);
        foreach (var device in registrations.Select(e => e.Data).OfType<DeviceRegistered>())
            latest[device.DeviceId] = device;
        var listed = latest.Values.Select(d => new ListedDevice(d, true)).ToList();
        if (!latest.ContainsKey(HostDevice.Id)) listed.Add(new ListedDevice(HostDevice.Describe(gauge.Time), false));
        return listed.OrderBy(d => d.Device.DeviceId == HostDevice.Id ? 0 : 1).ThenBy(d => d.Device.DeviceId, StringComparer.Ordinal).ToList();
    }
}
