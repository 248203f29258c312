using GaugeNN.Warehouse.Read;

namespace GaugeNN.Api.Schema.Apps;

/// <summary>An app in one snapshot as read from a schema (<c>main</c>, or an as-of schema): its edges read the same schema.</summary>
public sealed record AppNode(AppInSnapshot App, string Schema);
