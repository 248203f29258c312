using GaugeNN.Api.Loading;
using GaugeNN.Api.Schema.Connections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.DataLoader;

namespace GaugeNN.Api.Schema.Measurements;

/// <summary>
/// Batched loading along the graph's edges: every model (or device) of a page asks for its measurements, and one SQL
/// statement answers them all.
/// </summary>
internal static class MeasurementLoaders
{
    public static IDataLoaderResult<Connection<Measurement>> ByModel(IResolveFieldContext context, string sha256)
    {
        var reader = context.Reader<MeasurementReader>();
        return Paging.Load(context, "measurementsByModel", sha256, reader.ForModels, reader.CountForModels);
    }

    public static IDataLoaderResult<Connection<Measurement>> ByDevice(IResolveFieldContext context, string deviceId)
    {
        var reader = context.Reader<MeasurementReader>();
        return Paging.Load(context, "measurementsByDevice", deviceId, reader.ForDevices, reader.CountForDevices);
    }

    // Fetches run after the resolver returned (GraphQL.NET reuses its contexts): they capture readers, never the context.
    public static IDataLoaderResult<Device?> Device(IResolveFieldContext context, string deviceId)
    {
        var reader = context.Reader<MeasurementReader>();
        return context.Loaders().Get<string, Device?>("deviceById",
            keys => reader.DevicesById(keys).ToDictionary(d => d.Id, d => (Device?)d), null).Load(deviceId);
    }

    public static IDataLoaderResult<IReadOnlyList<Comparison>> Compare(IResolveFieldContext context, string sha256, CompareBy by)
    {
        var reader = context.Reader<MeasurementReader>();
        return context.Loaders().Get<string, IReadOnlyList<Comparison>>($"compare|{by}",
            keys =>
            {
                var found = reader.Compare(keys, by, new MeasurementFilter());
                return keys.ToDictionary(k => k, k => (IReadOnlyList<Comparison>)found[k].ToList());
            }, []).Load(sha256);
    }
}
