namespace GaugeNN.Events;

// Stream: the snapshot id (e.g. 2021-04).

/// <summary>
/// A crawl of the app store was opened for ingest. <see cref="CapturedAt"/> places it in time (churn pairs and series
/// follow it); <see cref="CapturedAtFrom"/> says where the date came from: <c>id</c> (the id is a date),
/// <c>given</c> (<c>--captured-at</c>) or <c>unknown</c> (only from stores older than this version).
/// </summary>
public sealed record SnapshotOpened(
    string Snapshot, string Label, DateOnly? CapturedAt, string CapturedAtFrom, string Source, DateTimeOffset At) : IGaugeEvent
{
    /// <summary>
    /// Upcasts the first version, which never recorded a capture date (it was always null): an id that is a date
    /// (<c>YYYY-MM</c> = the first of the month, or <c>YYYY-MM-DD</c>) gives it, as a new ingest would.
    /// </summary>
    public static SnapshotOpened From(SnapshotOpenedV1 old)
    {
        if (old.CapturedAt is { } given) return new(old.Snapshot, old.Label, given, "given", old.Source, old.At);
        var fromId = DateNamedBy(old.Snapshot);
        return new(old.Snapshot, old.Label, fromId, fromId is null ? "unknown" : "id", old.Source, old.At);
    }

    /// <summary>The date a snapshot id names (<c>YYYY-MM</c> is the first of the month, or <c>YYYY-MM-DD</c>), or null.</summary>
    public static DateOnly? DateNamedBy(string id) =>
        DateOnly.TryParseExact(id, "yyyy-MM-dd", out var day) ? day
        : DateOnly.TryParseExact(id, "yyyy-MM", out var month) ? month
        : null;
}

/// <summary>The first version of <see cref="SnapshotOpened"/>, as stored by earlier releases; read through <see cref="SnapshotOpened.From"/>.</summary>
public sealed record SnapshotOpenedV1(string Snapshot, string Label, DateOnly? CapturedAt, string Source, DateTimeOffset At) : IGaugeEvent;
