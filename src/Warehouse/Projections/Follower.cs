using System.Threading.Channels;
using GaugeNN.Warehouse.EventStore;

namespace GaugeNN.Warehouse.Projections;

/// <summary>How far a catch-up went: the store's committed head when it started, and the checkpoint it reached.</summary>
public sealed record CatchUpReport(long EventsApplied, long Checkpoint, long StoreHead, bool Rebuilt, IReadOnlyList<ProjectionStep> Steps);

/// <summary>A catch-up had to stop in front of a gap that transactions still open may fill.</summary>
public sealed class GapStillOpenException(Gap gap, TimeSpan waited)
    : Exception($"the warehouse cannot pass a gap in the event log after waiting {waited.TotalSeconds:0} s: {gap}. " +
                "Nothing was skipped; run the command again when those transactions end (or stop them).")
{
    public Gap Gap { get; } = gap;
}

/// <summary>
/// Brings the warehouse up to the store's committed head: pages of events from the <see cref="EventFeed"/> are applied
/// by the <see cref="Projector"/> in steps of at most <see cref="StepEvents"/> events, except the first step (from an
/// empty warehouse: a first projection or a rebuild), which takes everything committed in one transaction so that the
/// derived tables are computed once. While a page is appended the feed reads the next ones. The same code serves the
/// one-off <c>project</c> (which waits for a gap at most <c>gapWait</c>, then fails naming it) and the host's loop.
/// </summary>
public sealed class Follower(Projector projector, EventFeed feed)
{
    // Small pages: the pages in flight are what every young collection must keep. With 5,000-event pages a rebuild of
    // 122k events spent 0.3-0.4 s in GC pauses, with 1,000 0.15 s.
    public const int PageEvents = 500;
    public const int StepEvents = 50_000;
    private static readonly TimeSpan GapPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Applies every event committed up to the head read at the start.</summary>
    public async Task<CatchUpReport> CatchUpAsync(TimeSpan gapWait, Action<string>? waiting, CancellationToken ct)
    {
        projector.EnsureSchema();
        long head = await feed.HeadAsync(ct);
        bool rebuilt = projector.Checkpoint == 0 && head > 0;
        var steps = new List<ProjectionStep>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool toldWaiting = false;
        while (projector.Checkpoint < head)
        {
            var (step, gap) = await StepAsync(ct);
            if (step is not null)
            {
                steps.Add(step);
                waited.Restart();
                continue;
            }
            if (gap is null) break; // nothing committed past the checkpoint after all
            if (waited.Elapsed >= gapWait) throw new GapStillOpenException(gap, waited.Elapsed);
            if (!toldWaiting) waiting?.Invoke($"waiting up to {gapWait.TotalSeconds:0} s for a gap in the event log to fill or be abandoned: {gap}");
            toldWaiting = true;
            await Task.Delay(GapPoll, ct);
        }
        return new CatchUpReport(steps.Sum(s => s.EventsApplied), projector.Checkpoint, head, rebuilt, steps);
    }

    /// <summary>
    /// Applies one step: contiguous events after the checkpoint, up to a gap that may still fill (returned with the
    /// step). No step when nothing past the checkpoint is committed, or a gap stands right after it. The feed's pages
    /// are read on their own task into a short queue, so the database and the reading work while a page is appended.
    /// </summary>
    public async Task<(ProjectionStep? Step, Gap? Gap)> StepAsync(CancellationToken ct)
    {
        long after = projector.Checkpoint;
        // The first step (an empty warehouse) takes everything committed, so the derived tables are computed once.
        long? limit = after == 0 ? null : StepEvents;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = Channel.CreateBounded<FeedPage>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var page in feed.ReadPagesAsync(after, PageEvents, limit, stop.Token))
                    await queue.Writer.WriteAsync(page, stop.Token);
            }
            finally
            {
                // A failed read ends the queue too; its own exception is rethrown where the queue runs dry.
                queue.Writer.Complete();
            }
        }, CancellationToken.None);

        async Task<FeedPage?> NextAsync()
        {
            if (await queue.Reader.WaitToReadAsync(stop.Token) && queue.Reader.TryRead(out var page)) return page;
            await reading;
            return null;
        }

        try
        {
            var first = await NextAsync() ?? throw new InvalidOperationException("the event feed yielded no page");
            if (first.ReadThrough <= after) return (null, first.BlockedBy);
            Gap? gap = null;

            async IAsyncEnumerable<FeedPage> Pages()
            {
                for (var page = first; page is not null; page = await NextAsync())
                {
                    gap = page.BlockedBy;
                    yield return page;
                }
            }

            var step = await projector.ApplyAsync(Pages(), stop.Token);
            return (step, gap);
        }
        finally
        {
            // Never leave a read behind: the next step's read must not overlap it.
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
