using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.DataLoader;

namespace GaugeNN.Api.Schema.Snapshots;

/// <summary>Per-snapshot figures for every snapshot of a list, each in one statement.</summary>
internal static class SnapshotLoaders
{
    // Fetches run after the resolver returned (GraphQL.NET reuses its contexts): they capture readers, never the context.
    public static IDataLoaderResult<IReadOnlyList<FrameworkAdoption>> Frameworks(IResolveFieldContext context, SnapshotNode snapshot)
    {
        var reader = context.Reader<WarehouseReader>().At(snapshot.Schema);
        return context.Loaders().Get<string, IReadOnlyList<FrameworkAdoption>>($"frameworks|{snapshot.Schema}",
            keys =>
            {
                var found = reader.FrameworkAdoption(keys);
                return keys.ToDictionary(k => k, k => (IReadOnlyList<FrameworkAdoption>)found[k].ToList());
            }, []).Load(snapshot.Summary.Id);
    }

    public static IDataLoaderResult<SnapshotPrecision> Precision(IResolveFieldContext context, SnapshotNode snapshot)
    {
        var reader = context.Reader<WarehouseReader>().At(snapshot.Schema);
        return context.Loaders().Get<string, SnapshotPrecision>($"precision|{snapshot.Schema}", reader.Precision, new SnapshotPrecision(0, 0))
            .Load(snapshot.Summary.Id);
    }
}
