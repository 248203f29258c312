using DuckDB.NET.Data;
using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// One event type's facts as rows of a DuckDB table (<c>ev_…</c>), appended per event through the appender: the events
/// arrive as C# records from Marten (upcast), never as JSON parsed in SQL. Every row carries the event's sequence
/// number and append time, which is what lets any derived table be recomputed as of an earlier point of the log.
/// </summary>
public interface IEventTable
{
    string Name { get; }
    Type EventType { get; }

    /// <summary><c>seq</c>, <c>appended_at</c>, then the event's own columns.</summary>
    IReadOnlyList<Column> Columns { get; }

    void Append(IDuckDBAppenderRow row, long seq, DateTimeOffset appendedAt, IGaugeEvent e);

    /// <summary>Records which keys of the derived tables the event changes.</summary>
    void Touch(IGaugeEvent e, Changes changes);
}

/// <summary>A column of an event table: its DuckDB type and how its value is appended from the event.</summary>
public sealed record EventColumn<TEvent>(string Name, string Type, Action<IDuckDBAppenderRow, TEvent> Append);

public sealed class EventTable<TEvent>(string name, Action<TEvent, Changes> touches, params EventColumn<TEvent>[] columns)
    : IEventTable where TEvent : IGaugeEvent
{
    public string Name { get; } = name;
    public Type EventType => typeof(TEvent);

    public IReadOnlyList<Column> Columns { get; } =
    [
        new("seq", "BIGINT", "event sequence number in the event store"),
        new("appended_at", "TIMESTAMP WITH TIME ZONE", "when the event was appended"),
        .. columns.Select(c => new Column(c.Name, c.Type, "")),
    ];

    public void Append(IDuckDBAppenderRow row, long seq, DateTimeOffset appendedAt, IGaugeEvent e)
    {
        row.AppendValue(seq).AppendValue(appendedAt);
        foreach (var column in columns) column.Append(row, (TEvent)e);
        row.EndRow();
    }

    public void Touch(IGaugeEvent e, Changes changes) => touches((TEvent)e, changes);
}

/// <summary>Typed column declarations for <see cref="EventTable{TEvent}"/>: one DuckDB type per C# shape.</summary>
public static class Col<T>
{
    public static EventColumn<T> Text(string name, Func<T, string?> get) => new(name, "VARCHAR", (r, e) => r.AppendValue(get(e)));
    public static EventColumn<T> Int64(string name, Func<T, long?> get) => new(name, "BIGINT", (r, e) => r.AppendValue(get(e)));
    public static EventColumn<T> Int32(string name, Func<T, int?> get) => new(name, "INTEGER", (r, e) => r.AppendValue(get(e)));
    public static EventColumn<T> Double(string name, Func<T, double?> get) => new(name, "DOUBLE", (r, e) => r.AppendValue(get(e)));
    public static EventColumn<T> Bool(string name, Func<T, bool?> get) => new(name, "BOOLEAN", (r, e) => r.AppendValue(get(e)));
    public static EventColumn<T> Date(string name, Func<T, DateOnly?> get) => new(name, "DATE", (r, e) => r.AppendValue(get(e)));

    public static EventColumn<T> Time(string name, Func<T, DateTimeOffset?> get) =>
        new(name, "TIMESTAMP WITH TIME ZONE", (r, e) => r.AppendValue(get(e)));

    public static EventColumn<T> Texts(string name, Func<T, IEnumerable<string>?> get) =>
        new(name, "VARCHAR[]", (r, e) => AppendList(r, get(e)));

    public static EventColumn<T> Int64s(string name, Func<T, IEnumerable<long>?> get) =>
        new(name, "BIGINT[]", (r, e) => AppendList(r, get(e)));

    public static EventColumn<T> OptionalInt64s(string name, Func<T, IEnumerable<long?>?> get) =>
        new(name, "BIGINT[]", (r, e) => AppendList(r, get(e)));

    public static EventColumn<T> Doubles(string name, Func<T, IEnumerable<double?>?> get) =>
        new(name, "DOUBLE[]", (r, e) => AppendList(r, get(e)));

    /// <summary>A list of lists of nullable integers (tensor shapes, unknown dims null).</summary>
    public static EventColumn<T> Int64Lists(string name, Func<T, IEnumerable<IEnumerable<long?>>?> get) =>
        new(name, "BIGINT[][]", (r, e) => AppendList(r, get(e)?.Select(l => l.ToList())));

    /// <summary>A list of lists of nullable strings (the symbolic names of tensor dimensions).</summary>
    public static EventColumn<T> TextLists(string name, Func<T, IEnumerable<IEnumerable<string?>>?> get) =>
        new(name, "VARCHAR[][]", (r, e) => AppendList(r, get(e)?.Select(l => l.ToList())));

    private static void AppendList<TItem>(IDuckDBAppenderRow row, IEnumerable<TItem>? items)
    {
        if (items is null) row.AppendNullValue();
        else row.AppendValue(items.ToList());
    }
}
