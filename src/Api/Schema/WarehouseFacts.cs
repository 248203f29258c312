using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;

namespace GaugeNN.Api.Schema;

/// <summary>Snapshots in capture order, and by id.</summary>
public sealed class SnapshotList(IReadOnlyList<SnapshotSummary> inOrder)
{
    public IReadOnlyList<SnapshotSummary> InOrder { get; } = inOrder;
    public IReadOnlyDictionary<string, SnapshotSummary> ById { get; } = inOrder.ToDictionary(s => s.Id);

    /// <summary>Whether <paramref name="to"/> comes right after <paramref name="from"/> in capture order.</summary>
    public bool Consecutive(string from, string to)
    {
        for (int i = 0; i + 1 < InOrder.Count; i++)
            if (InOrder[i].Id == from) return InOrder[i + 1].Id == to;
        return false;
    }
}

/// <summary>
/// Answers that change only when the tables do — the snapshot list (unknown-id checks, churn pairs), the counts
/// unpaged lists grow with (the query budget), and the small aggregates a dashboard asks again and again (adoption
/// series, churn summaries, distributions) — kept for one version of the tables (<see cref="ApiOptions.Version"/>;
/// without one, for <see cref="MaxAge"/>). The version is read before the answer, so a change during a read only causes
/// one more read, never a stale answer. Bounded: at most <see cref="MaxEntries"/> answers, emptied when full.
/// </summary>
public sealed class WarehouseFacts(ReaderPool pool, ApiOptions options)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    public const int MaxEntries = 256;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, object> _answers = [];
    private (long? Version, DateTimeOffset At) _generation = (null, DateTimeOffset.MinValue);

    /// <summary>The answer kept under <paramref name="key"/> for the current version, else <paramref name="read"/>'s.</summary>
    public T Remember<T>(string key, Func<T> read) where T : notnull
    {
        var generation = Current();
        lock (_gate)
            if (_answers.TryGetValue(key, out var kept)) return (T)kept;
        var answer = read();
        lock (_gate)
        {
            if (_generation == generation)
            {
                if (_answers.Count >= MaxEntries) _answers.Clear();
                _answers[key] = answer;
            }
        }
        return answer;
    }

    /// <summary>The snapshots of a schema, read through the request's own reader when needed.</summary>
    public SnapshotList Snapshots(string schema, WarehouseReader reader) =>
        Remember($"snapshots|{schema}", () => new SnapshotList(reader.At(schema).Snapshots()));

    /// <summary>The warehouse's counts for the query budget (read on a connection of the pool's own).</summary>
    public ListSizes Sizes() => Remember("sizes", () =>
    {
        using var lease = pool.Rent();
        var (snapshots, devices) = new WarehouseReader(lease).Counts();
        return new ListSizes(snapshots, devices);
    });

    /// <summary>The generation answers belong to; a new one (the tables changed, or too old) drops what was kept.</summary>
    private (long? Version, DateTimeOffset At) Current()
    {
        long? version = options.Version?.Invoke();
        var now = options.Time.GetUtcNow();
        lock (_gate)
        {
            bool stale = version is null ? now - _generation.At >= MaxAge : version != _generation.Version;
            if (stale)
            {
                _generation = (version, now);
                _answers.Clear();
            }
            return _generation;
        }
    }
}
