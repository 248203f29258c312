using GaugeNN.Api.Loading;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.DataLoader;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Schema.Measurements;

/// <summary>
/// Batched loading along the graph's edges: every model (or device) of a page asks for its measurements, and one SQL
/// statement answers them all.
/// </summary>
internal static class MeasurementLoaders
{
    public static IDataLoaderResult<IReadOnlyList<Measurement>> ByModel(IResolveFieldContext context, string sha256) =>
        Loaders(context).Get<string, IReadOnlyList<Measurement>>("measurementsByModel",
            keys => Reader(context).ForModels(keys).ToDictionary(g => g.Key, g => (IReadOnlyList<Measurement>)g.ToList()), []).Load(sha256);

    public static IDataLoaderResult<IReadOnlyList<Measurement>> ByDevice(IResolveFieldContext context, string deviceId) =>
        Loaders(context).Get<string, IReadOnlyList<Measurement>>("measurementsByDevice",
            keys => Reader(context).ForDevices(keys).ToDictionary(g => g.Key, g => (IReadOnlyList<Measurement>)g.ToList()), []).Load(deviceId);

    public static IDataLoaderResult<Device?> Device(IResolveFieldContext context, string deviceId) =>
        Loaders(context).Get<string, Device?>("deviceById",
            keys => Reader(context).DevicesById(keys).ToDictionary(d => d.Id, d => (Device?)d), null).Load(deviceId);

    private static RequestLoaders Loaders(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<RequestLoaders>();

    public static MeasurementReader Reader(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<MeasurementReader>();
}
