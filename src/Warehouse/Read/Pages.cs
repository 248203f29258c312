using DuckDB.NET.Data;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Read;

/// <summary>
/// One query shape for every paged list, alone or for many parents at once (the batch of a DataLoader): the node's
/// columns, then the keyset's keys; <c>first + 1</c> rows per parent tell whether another page follows.
/// </summary>
internal static class Pages
{
    /// <summary>A filtered list read from <paramref name="from"/> (FROM … [JOIN …]) where <paramref name="where"/> holds.</summary>
    public static Page<T> Read<T>(DuckDbWarehouse warehouse, Keyset keyset, IReadOnlyList<string> columns, string from, string where,
        IEnumerable<object?> parameters, int first, string? after, Func<DuckDBDataReader, T> map)
    {
        var (afterSql, afterParameters) = keyset.After(after);
        var rows = warehouse.Query(
            $"SELECT {string.Join(", ", columns)}, {keyset.KeyColumns} FROM {from} WHERE ({where}) AND {afterSql} ORDER BY {keyset.OrderBy} LIMIT {first + 1}",
            r => new Paged<T>(map(r), keyset.CursorOf(r, columns.Count)),
            [.. parameters, .. afterParameters]);
        return new Page<T>(rows.Take(first).ToList(), rows.Count > first, after is not null);
    }

    /// <summary>
    /// The first page of the list of each parent (every parent in one statement): rows are partitioned by
    /// <paramref name="partition"/> (a text expression), which <paramref name="where"/> must restrict to the parents.
    /// </summary>
    public static Dictionary<string, Page<T>> ReadEach<T>(DuckDbWarehouse warehouse, Keyset keyset, IReadOnlyList<string> columns,
        string partition, IEnumerable<string> parents, string from, string where, IEnumerable<object?> parameters, int first,
        string? after, Func<DuckDBDataReader, T> map, int extra = 0)
    {
        var (afterSql, afterParameters) = keyset.After(after);
        int keep = first + 1 + extra;
        var rows = warehouse.Query(
            $"""
            SELECT {string.Join(", ", columns)}, {keyset.KeyColumns}, {partition} AS _parent FROM {from}
            WHERE ({where}) AND {afterSql}
            QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {keyset.OrderBy}) <= {keep}
            ORDER BY _parent, {keyset.OrderBy}
            """,
            r => (Parent: r.GetString(columns.Count + keyset.Keys.Count), Row: new Paged<T>(map(r), keyset.CursorOf(r, columns.Count))),
            [.. parameters, .. afterParameters]);
        var byParent = rows.ToLookup(x => x.Parent, x => x.Row);
        return parents.Distinct(StringComparer.Ordinal).ToDictionary(p => p, p =>
        {
            var mine = byParent[p].ToList();
            return new Page<T>(mine.Take(first + extra).ToList(), mine.Count > first + extra, after is not null);
        });
    }

    /// <summary>Per parent, how many rows the list has (before any cursor).</summary>
    public static Dictionary<string, long> CountEach(DuckDbWarehouse warehouse, string partition, IEnumerable<string> parents, string from,
        string where, IEnumerable<object?> parameters)
    {
        var counts = warehouse.Query($"SELECT {partition}, count(*) FROM {from} WHERE {where} GROUP BY ALL",
            r => (Parent: r.GetString(0), Count: Sql.Long(r, 1)), [.. parameters]).ToDictionary(x => x.Parent, x => x.Count);
        return parents.Distinct(StringComparer.Ordinal).ToDictionary(p => p, p => counts.GetValueOrDefault(p));
    }

    /// <summary>A sort expression with missing values last in either direction.</summary>
    public static SortKey NullsLast(string expression, bool descending) =>
        new($"coalesce(CAST({expression} AS BIGINT), {(descending ? "-" : "")}9223372036854775807)", descending);

    /// <summary>Snapshots in capture order (date, then id), the order every snapshot list follows.</summary>
    public static SortKey[] SnapshotOrder(string alias) =>
        [new($"coalesce(strftime({alias}.captured_at, '%Y-%m-%d'), '9999-12-31')"), new($"{alias}.snapshot")];
}
