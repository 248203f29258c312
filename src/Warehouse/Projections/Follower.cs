using System.Runtime.CompilerServices;
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
/// derived tables are computed once. While a page is appended the feed reads the next one. The same code serves the
/// one-off <c>project</c> (which waits for a gap at most <c>gapWait</c>, then fails naming it) and the host's loop.
/// </summary>
public sealed class Follower(Projector projector, EventFeed feed)
{
    public const int PageEvents = 5_000;
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
    /// Applies one step: contiguous pages after the checkpoint, up to a gap that may still fill (returned with the
    /// step). No step when nothing past the checkpoint is committed, or a gap stands right after it.
    /// </summary>
    public async Task<(ProjectionStep? Step, Gap? Gap)> StepAsync(CancellationToken ct)
    {
        long after = projector.Checkpoint;
        var first = await feed.ReadAsync(after, PageEvents, ct);
        if (first.ReadThrough <= after) return (null, first.BlockedBy);
        bool firstStep = after == 0;
        Gap? gap = null;

        async IAsyncEnumerable<FeedPage> Pages([EnumeratorCancellation] CancellationToken token = default)
        {
            var page = first;
            long from = after, facts = 0;
            Task<FeedPage>? next = null;
            try
            {
                while (true)
                {
                    gap = page.BlockedBy;
                    facts += page.Events.Count;
                    bool full = page.ReadThrough - from >= PageEvents;
                    if (gap is null && full && (firstStep || facts < StepEvents))
                        next = feed.ReadAsync(page.ReadThrough, PageEvents, token);
                    yield return page;
                    if (next is null) yield break;
                    from = page.ReadThrough;
                    page = await next;
                    next = null;
                }
            }
            finally
            {
                // The step failed with a read in flight: let it finish, so that no two reads of the feed ever overlap.
                if (next is not null) await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        var step = await projector.ApplyAsync(Pages(), ct);
        return (step, gap);
    }
}
