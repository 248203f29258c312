using GaugeNN.Application.Hosting;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Application.UseCases;

/// <summary>
/// Brings the DuckDB warehouse up to the event store's committed head (through the host when one runs), or
/// from zero with <c>rebuild</c>. It never stops short silently: a gap that transactions still open may fill is
/// waited for (bounded, with a message) and then named in the failure.
/// </summary>
public sealed class CatchUpWarehouse(Gauge gauge)
{
    public async Task<CatchUpReport> RunAsync(bool rebuild, Action<string>? say, CancellationToken ct)
    {
        if (WarehouseLock.Owner(gauge.Folder) is { IsHost: true } host)
        {
            say?.Invoke($"the warehouse host {host} holds the warehouse: asking it to {(rebuild ? "rebuild" : "catch up")}");
            return await HostClient.CatchUpAsync(host, rebuild, ct);
        }
        using var warehouse = OpenWarehouse.Open(gauge, OpenWarehouse.Me(rebuild ? "gaugenn project --rebuild" : "gaugenn project"), startOver: rebuild);
        return await warehouse.Follower.CatchUpAsync(OpenWarehouse.GapWait, say, ct);
    }
}
