using GaugeNN.Warehouse.Read;
using GraphQL;

namespace GaugeNN.Api.Schema;

/// <summary>Values a query names (snapshot ids) that must exist: an unknown one is an error naming it, never an empty answer.</summary>
internal static class Known
{
    /// <summary>The snapshots of a schema, in capture order and by id.</summary>
    public static SnapshotList Snapshots(IResolveFieldContext context, string schema) =>
        context.Reader<WarehouseFacts>().Snapshots(schema, context.Reader<WarehouseReader>());

    public static SnapshotSummary Snapshot(IResolveFieldContext context, string id, string schema) =>
        Snapshots(context, schema).ById.TryGetValue(id, out var snapshot) ? snapshot : throw new ExecutionError($"unknown snapshot '{id}'");

    /// <summary>Checks an optional snapshot argument; returns it.</summary>
    public static string? OptionalSnapshot(IResolveFieldContext context, string? id, string schema)
    {
        if (id is not null) Snapshot(context, id, schema);
        return id;
    }
}
