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
    private readonly ConcurrentDictionary<DuckDbWarehouse, byte> _open = [];
    private readonly Lazy<(DuckDbWarehouse Connection, PointInTime Builder)> _pointInTime =
        new(() => DuckDbWarehouse.Open(duckDbFile) is var c ? (c, new PointInTime(c)) : default);
    private int _idleCount;
    private long _retiredStatements;

    /// <summary>Builds as-of and any-pair churn schemas (on a connection of its own; readers see what it attaches).</summary>
    public PointInTime PointInTime => _pointInTime.Value.Builder;

    /// <summary>SQL statements run so far by every connection of the pool, the point-in-time builder's included.</summary>
    public long Statements =>
        Interlocked.Read(ref _retiredStatements) + _open.Keys.Sum(c => c.Statements)
        + (_pointInTime.IsValueCreated ? _pointInTime.Value.Connection.Statements : 0);

    public ReaderLease Rent()
    {
        if (_idle.TryTake(out var warehouse))
        {
            Interlocked.Decrement(ref _idleCount);
            return new ReaderLease(this, warehouse);
        }
        warehouse = DuckDbWarehouse.Open(duckDbFile);
        _open[warehouse] = 0;
        return new ReaderLease(this, warehouse);
    }

    internal void Return(DuckDbWarehouse warehouse)
    {
        if (Interlocked.Increment(ref _idleCount) <= keepIdle) _idle.Add(warehouse);
        else
        {
            Interlocked.Decrement(ref _idleCount);
            Close(warehouse);
        }
    }

    private void Close(DuckDbWarehouse warehouse)
    {
        Interlocked.Add(ref _retiredStatements, warehouse.Statements);
        _open.TryRemove(warehouse, out _);
        warehouse.Dispose();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var warehouse)) Close(warehouse);
        if (_pointInTime.IsValueCreated) _pointInTime.Value.Connection.Dispose();
    }
}

/// <summary>A rented read connection; disposing it returns it to the pool.</summary>
public sealed class ReaderLease(ReaderPool pool, DuckDbWarehouse warehouse) : IDisposable
{
    public DuckDbWarehouse Warehouse { get; } = warehouse;

    public void Dispose() => pool.Return(Warehouse);
}
