using System.Collections.Concurrent;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Read;

/// <summary>
/// Read connections to the warehouse held by this process (the host): they share the one DuckDB instance the
/// projector writes through, so a reader sees every committed projection step at once and never waits on a file lock.
/// A request rents one and gives it back when it ends.
/// </summary>
public sealed class ReaderPool(string duckDbFile, int keepIdle = 8) : IDisposable
{
    private readonly ConcurrentBag<DuckDbWarehouse> _idle = [];
    private readonly Lazy<(DuckDbWarehouse Connection, PointInTime Builder)> _pointInTime =
        new(() => DuckDbWarehouse.Open(duckDbFile) is var c ? (c, new PointInTime(c)) : default);
    private int _idleCount;

    /// <summary>Builds as-of and any-pair churn schemas (on a connection of its own; readers see what it attaches).</summary>
    public PointInTime PointInTime => _pointInTime.Value.Builder;

    public ReaderLease Rent()
    {
        if (_idle.TryTake(out var warehouse))
        {
            Interlocked.Decrement(ref _idleCount);
            return new ReaderLease(this, warehouse);
        }
        return new ReaderLease(this, DuckDbWarehouse.Open(duckDbFile));
    }

    internal void Return(DuckDbWarehouse warehouse)
    {
        if (Interlocked.Increment(ref _idleCount) <= keepIdle) _idle.Add(warehouse);
        else
        {
            Interlocked.Decrement(ref _idleCount);
            warehouse.Dispose();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var warehouse)) warehouse.Dispose();
        if (_pointInTime.IsValueCreated) _pointInTime.Value.Connection.Dispose();
    }
}

/// <summary>A rented read connection; disposing it returns it to the pool.</summary>
public sealed class ReaderLease(ReaderPool pool, DuckDbWarehouse warehouse) : IDisposable
{
    public DuckDbWarehouse Warehouse { get; } = warehouse;

    public void Dispose() => pool.Return(Warehouse);
}
