using GaugeNN.Warehouse.Read;

namespace GaugeNN.Api.Schema.Models;

/// <summary>A unique model as read from a schema (<c>main</c>, or an as-of schema): its edges read the same schema.</summary>
public sealed record ModelNode(ModelSummary Model, string Schema);

/// <summary>A model file of an app, read from a schema.</summary>
public sealed record ModelFileNode(AppModelFile File, string Schema);
