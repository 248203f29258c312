namespace GaugeNN.Api.Http;

/// <summary>
/// Gives memory back after heavy work: a large answer, a refused or timed-out one, or requests that together allocated
/// <see cref="HeavyAllocation"/> since the last relief (an answer of 0.7 MB can take 20,000 rows to build). Without it
/// the GC keeps the grown heap committed until some later collection — 30–50 % above the baseline for as long as the
/// host is idle. The compacting, decommitting collection runs once the server has been quiet for <see cref="Quiet"/>,
/// on the thread pool, so it never competes with requests; at most one is pending.
/// </summary>
public sealed class MemoryRelief(TimeProvider time)
{
    /// <summary>Answers at least this large count as heavy.</summary>
    public const long HeavyBytes = 4 * 1024 * 1024;

    /// <summary>Managed allocations since the last relief that make one worth it.</summary>
    public const long HeavyAllocation = 64 * 1024 * 1024;

    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private long _lastRequest;
    private long _allocatedAtRelief = GC.GetTotalAllocatedBytes();
    private int _pending;

    public void After(long responseBytes, bool heavy)
    {
        Interlocked.Exchange(ref _lastRequest, time.GetTimestamp());
        bool worthIt = heavy || responseBytes >= HeavyBytes
                       || GC.GetTotalAllocatedBytes() - Interlocked.Read(ref _allocatedAtRelief) >= HeavyAllocation;
        if (!worthIt || Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            do await Task.Delay(Quiet, time);
            while (time.GetElapsedTime(Interlocked.Read(ref _lastRequest)) < Quiet);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Interlocked.Exchange(ref _allocatedAtRelief, GC.GetTotalAllocatedBytes());
            Interlocked.Exchange(ref _pending, 0);
        });
    }
}
