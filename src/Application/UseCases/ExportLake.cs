using GaugeNN.Application.Hosting;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Application.UseCases;

/// <summary>Brings the warehouse up to date, then writes the lake (every derived table as Parquet or Arrow files).</summary>
public sealed class ExportLake(Gauge gauge)
{
    public async Task<(CatchUpReport CatchUp, ExportReport Export)> RunAsync(
        string outDirectory, LakeFormat format, bool incremental, Action<string>? say, CancellationToken ct)
    {
        if (WarehouseLock.Owner(gauge.Folder) is { IsHost: true } host)
        {
            say?.Invoke($"the warehouse host {host} holds the warehouse: asking it to export");
            var done = await HostClient.ExportAsync(host, new ExportRequest(Path.GetFullPath(outDirectory), format, incremental), ct);
            return (done.CatchUp, done.Export);
        }
        using var warehouse = OpenWarehouse.Open(gauge, OpenWarehouse.Me($"gaugenn export {format.ToString().ToLowerInvariant()}"));
        var caughtUp = await warehouse.Follower.CatchUpAsync(OpenWarehouse.GapWait, say, ct);
        var export = new LakeExporter(warehouse.Db).Export(outDirectory, format, caughtUp.Checkpoint, incremental, ct);
        return (caughtUp, export);
    }
}
