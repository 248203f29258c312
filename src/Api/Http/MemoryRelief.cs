namespace GaugeNN.Api.Http;

/// <summary>
/// Gives memory back after a heavy request (a large answer, a refused one, a timeout): once the response is out, a
/// compacting, decommitting collection returns the managed heap to about its baseline instead of leaving the peak
/// committed for good. At most one per <see cref="Spacing"/>, on the thread pool, so requests never wait for it.
/// </summary>
public sealed class MemoryRelief(TimeProvider time)
{
    /// <summary>Answers at least this large count as heavy.</summary>
    public const long HeavyBytes = 4 * 1024 * 1024;

    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(2);
    private long _scheduled;

    public void After(long responseBytes, bool heavy)
    {
        if (!heavy && responseBytes < HeavyBytes) return;
        long now = time.GetTimestamp();
        long last = Interlocked.Read(ref _scheduled);
        if (last != 0 && time.GetElapsedTime(last, now) < Spacing) return;
        if (Interlocked.CompareExchange(ref _scheduled, now, last) != last) return;
        _ = Task.Run(async () =>
        {
            // Let the response finish and its buffers return to their pools first.
            await Task.Delay(TimeSpan.FromMilliseconds(200), time);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        });
    }
}
