namespace GaugeNN.Events;

/// <summary>A crawl of the app store was opened for ingest. Stream: the snapshot id (e.g. <c>2021-04</c>).</summary>
public sealed record SnapshotOpened(string Snapshot, string Label, DateOnly? CapturedAt, string Source, DateTimeOffset At) : IGaugeEvent;
