using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Application;

/// <summary>
/// The DuckDB warehouse opened for writing by this process, with what brings it up to date: the file's lock, the
/// connection, the projector and the follower. Disposing releases the file.
/// </summary>
public sealed class OpenWarehouse : IDisposable
{
    private readonly WarehouseLock _lock;

    private OpenWarehouse(WarehouseLock @lock, DuckDbWarehouse db, Gauge gauge)
    {
        _lock = @lock;
        Db = db;
        Projector = new Projector(db);
        Follower = new Follower(Projector, new EventFeed(gauge.Store, new PostgresGapProbe(gauge.Store)));
    }

    public DuckDbWarehouse Db { get; }
    public Projector Projector { get; }
    public Follower Follower { get; }

    /// <summary>How long a one-off catch-up waits for a gap in the event log before failing and naming it.</summary>
    public static readonly TimeSpan GapWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Takes the warehouse for <paramref name="me"/>, or fails at once saying who holds it. With
    /// <paramref name="startOver"/> the file is replaced by an empty one (a rebuild: every event is replayed into it).
    /// </summary>
    public static OpenWarehouse Open(Gauge gauge, WarehouseOwner me, bool startOver = false)
    {
        var @lock = WarehouseLock.TryAcquire(gauge.Folder, me, out var holder) ?? throw WarehouseLock.Busy(holder!);
        try
        {
            if (startOver) DuckDbWarehouse.Delete(gauge.Folder.DuckDbFile);
            return new OpenWarehouse(@lock, DuckDbWarehouse.Open(gauge.Folder.DuckDbFile), gauge);
        }
        catch
        {
            @lock.Dispose();
            throw;
        }
    }

    public void Describe(WarehouseOwner me) => _lock.Describe(me);

    public static WarehouseOwner Me(string command) => new(Environment.ProcessId, command, DateTimeOffset.Now);

    public void Dispose()
    {
        Db.Dispose();
        _lock.Dispose();
    }
}
