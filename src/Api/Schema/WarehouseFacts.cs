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
/// Facts of the warehouse that nearly every request needs and that change only when the tables do — the snapshot
/// list (unknown-id checks, churn pairs) and the counts unpaged lists grow with (the query budget) — read once per
/// version of the tables (<see cref="ApiOptions.Version"/>; without one, again after <see cref="MaxAge"/>). The
/// version is read before the facts, so a change during a read only causes one more read, never a stale answer.
/// </summary>
public sealed class WarehouseFacts(ReaderPool pool, ApiOptions options)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private const int MaxSchemas = 16;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SnapshotList> _snapshots = [];
    private ListSizes? _sizes;
    private (long? Version, DateTimeOffset At) _generation = (null, DateTimeOffset.MinValue);

    /// <summary>The snapshots of a schema, read through the request's own reader when needed.</summary>
    public SnapshotList Snapshots(string schema, WarehouseReader reader)
    {
        var generation = Current();
        lock (_gate)
            if (_snapshots.TryGetValue(schema, out var known)) return known;
        var read = new SnapshotList(reader.At(schema).Snapshots());
        lock (_gate)
        {
            if (_generation == generation)
            {
                if (_snapshots.Count >= MaxSchemas) _snapshots.Clear();
                _snapshots[schema] = read;
            }
        }
        return read;
    }

    /// <summary>The warehouse's counts for the query budget (read on a connection of the pool's own).</summary>
    public ListSizes Sizes()
    {
        var generation = Current();
        lock (_gate)
            if (_sizes is { } known) return known;
        using var lease = pool.Rent();
        var (snapshots, devices) = new WarehouseReader(lease).Counts();
        var sizes = new ListSizes(snapshots, devices);
        lock (_gate)
            if (_generation == generation) _sizes = sizes;
        return sizes;
    }

    /// <summary>The generation the facts belong to; a new one (the tables changed, or too old) drops what was kept.</summary>
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
                _snapshots.Clear();
                _sizes = null;
            }
            return _generation;
        }
    }
}
