using GaugeNN.Warehouse.Read;
using GraphQL;

namespace GaugeNN.Api.Schema.Connections;

/// <summary>
/// A page of a list as a Relay connection: its items and page info now, its total only when asked for (through
/// <see cref="TotalCount"/>, a value or a batched load, so a page of parents that never asks costs no count).
/// </summary>
public sealed record Connection<T>(Page<T> Page, Func<IResolveFieldContext, object> TotalCount)
{
    public PageInfo Info => new(Page.HasNextPage, Page.HasPreviousPage, Page.Items.FirstOrDefault()?.Cursor, Page.Items.LastOrDefault()?.Cursor);
}

/// <summary>Relay's page info: paging is forward (first/after); hasPreviousPage is true when a cursor was given.</summary>
public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
