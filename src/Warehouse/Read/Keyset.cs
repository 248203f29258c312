using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace GaugeNN.Warehouse.Read;

/// <summary>A cursor that does not belong to the list it was given to (or is not a cursor at all).</summary>
public sealed class CursorException(string message) : Exception(message);

/// <summary>Inclusive bounds on a number; a null bound is open.</summary>
public sealed record LongRange(long? Min = null, long? Max = null);

/// <summary>One key of an order: a never-null SQL expression (missing values are coalesced to a sentinel) and its direction.</summary>
public sealed record SortKey(string Expression, bool Descending = false);

/// <summary>An item of a page with the cursor that continues the list after it.</summary>
public sealed record Paged<T>(T Node, string Cursor);

/// <summary>One page of a list: its items, whether more follow, whether it started after a cursor.</summary>
public sealed record Page<T>(IReadOnlyList<Paged<T>> Items, bool HasNextPage, bool HasPreviousPage)
{
    public static Page<T> Empty(bool afterCursor) => new([], false, afterCursor);
}

/// <summary>
/// Keyset paging: a total order of a list (its last keys are unique) and opaque cursors holding an item's keys, so
/// the next page is "the items after these keys" whatever was added or removed meanwhile, and costs the same at any
/// depth. A cursor names its order, so one taken from a list ordered otherwise is refused rather than misread.
/// </summary>
public sealed class Keyset(string name, params SortKey[] keys)
{
    public IReadOnlyList<SortKey> Keys => keys;

    public string OrderBy => string.Join(", ", keys.Select(k => $"{k.Expression} {(k.Descending ? "DESC" : "ASC")}"));

    /// <summary>The keys as extra columns of a SELECT, read back by <see cref="CursorOf"/>.</summary>
    public string KeyColumns => string.Join(", ", keys.Select((k, i) => $"{k.Expression} AS _k{i}"));

    /// <summary>A predicate (with its parameters) true for the items after the cursor; TRUE without one.</summary>
    public (string Sql, object?[] Parameters) After(string? cursor)
    {
        if (cursor is null) return ("TRUE", []);
        var values = Decode(cursor);
        var sql = new StringBuilder();
        var parameters = new List<object?>();
        for (int i = 0; i < keys.Length; i++)
        {
            string op = keys[i].Descending ? "<" : ">";
            if (i > 0) sql.Append(" OR (");
            for (int j = 0; j < i; j++)
            {
                sql.Append($"{keys[j].Expression} = ? AND ");
                parameters.Add(values[j]);
            }
            sql.Append($"{keys[i].Expression} {op} ?");
            parameters.Add(values[i]);
            if (i > 0) sql.Append(')');
        }
        return ($"({sql})", parameters.ToArray());
    }

    public string CursorOf(DuckDBDataReader r, int firstKeyColumn)
    {
        var values = new object?[keys.Length];
        for (int i = 0; i < keys.Length; i++) values[i] = r.GetValue(firstKeyColumn + i);
        return Encode(values);
    }

    private string Encode(object?[] values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            foreach (var value in values)
                switch (value)
                {
                    case string s: json.WriteStringValue(s); break;
                    case long or int or short or sbyte or byte or ushort or uint: json.WriteNumberValue(Convert.ToInt64(value)); break;
                    default: throw new InvalidOperationException($"a sort key of {name} is {value?.GetType().Name ?? "null"}: keys must be text or integers");
                }
            json.WriteEndArray();
        }
        return Convert.ToBase64String(buffer.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private object?[] Decode(string cursor)
    {
        try
        {
            string base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            using var json = JsonDocument.Parse(Convert.FromBase64String(base64));
            var items = json.RootElement.EnumerateArray().ToList();
            if (items.Count != keys.Length + 1 || items[0].GetString() != name) throw new FormatException();
            return items.Skip(1).Select(e => e.ValueKind switch
            {
                JsonValueKind.String => (object?)e.GetString(),
                JsonValueKind.Number => e.GetInt64(),
                _ => throw new FormatException(),
            }).ToArray();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            string shown = cursor.Length > 40 ? cursor[..40] + "…" : cursor;
            throw new CursorException($"after: '{shown}' is not a cursor of this list (ordered by {name}); pass an endCursor this list returned");
        }
    }
}
