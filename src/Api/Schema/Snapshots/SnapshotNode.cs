using GaugeNN.Warehouse.Read;

namespace GaugeNN.Api.Schema.Snapshots;

/// <summary>A snapshot as read from a schema (<c>main</c>, or an as-of schema): its edges read the same schema.</summary>
public sealed record SnapshotNode(SnapshotSummary Summary, string Schema);

/// <summary>The answer of <c>snapshot(id)</c>: the snapshot with its apps.</summary>
public sealed record SnapshotDetail(SnapshotNode Snapshot);
