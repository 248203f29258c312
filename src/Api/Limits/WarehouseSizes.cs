using GaugeNN.Warehouse.Read;

namespace GaugeNN.Api.Limits;

/// <summary>
/// The warehouse's counts the unpaged lists grow with, read at most once per <see cref="MaxAge"/> (on a connection of
/// its own, so a request's statements do not include it).
/// </summary>
public sealed class WarehouseSizes(ReaderPool pool, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private (ListSizes Sizes, DateTimeOffset At)? _last;

    public ListSizes Current()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < MaxAge) return last.Sizes;
            using var lease = pool.Rent();
            var (snapshots, devices) = new WarehouseReader(lease).Counts();
            var sizes = new ListSizes(snapshots, devices);
            _last = (sizes, now);
            return sizes;
        }
    }
}
