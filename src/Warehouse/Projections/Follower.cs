using GaugeNN.Warehouse.EventStore;
using JasperFx.Events;

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
/// by the <see cref="Projector"/> in steps of at most <see cref="StepEvents"/> events. The same code serves the one-off
/// <c>project</c> (which waits for a gap at most <c>gapWait</c>, then fails naming it) and the host's follower loop.
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
            var (events, through, gap) = await ReadStepAsync(projector.Checkpoint, ct);
            if (through > projector.Checkpoint)
            {
                steps.Add(projector.Apply(events, through));
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
    /// One step's facts: contiguous pages after the checkpoint, up to a gap that may still fill; and the sequence number
    /// the step reads through (past the facts when the log ends with tombstones).
    /// </summary>
    public async Task<(List<IEvent> Events, long Through, Gap? Gap)> ReadStepAsync(long after, CancellationToken ct)
    {
        var events = new List<IEvent>();
        while (events.Count < StepEvents)
        {
            var page = await feed.ReadAsync(after, PageEvents, ct);
            events.AddRange(page.Events);
            bool full = page.ReadThrough - after >= PageEvents;
            after = page.ReadThrough;
            if (page.BlockedBy is not null) return (events, after, page.BlockedBy);
            if (!full) break;
        }
        return (events, after, null);
    }
}
