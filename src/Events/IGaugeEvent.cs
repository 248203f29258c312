namespace GaugeNN.Events;

/// <summary>
/// Every fact gaugeNN appends implements this. A marked type must be listed in <see cref="EventCatalogue"/> with a
/// stable alias and a golden JSON (tested), and the event store refuses to append any other type.
/// </summary>
public interface IGaugeEvent
{
    /// <summary>When the fact was established (from a <see cref="TimeProvider"/>, never the wall clock directly).</summary>
    DateTimeOffset At { get; }
}
