using GaugeNN.Api.Schema.Apps;
using GaugeNN.Api.Schema.Connections;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Snapshots;

public sealed class SnapshotDetailType : ObjectGraphType<SnapshotDetail>
{
    public SnapshotDetailType()
    {
        Name = "SnapshotDetail";
        Description = "One snapshot with its apps.";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(c => c.Source.Snapshot.Summary.Id);
        Field<NonNullGraphType<SnapshotType>>("summary").Resolve(c => c.Source.Snapshot);
        Field<NonNullGraphType<ConnectionType<AppType, AppNode>>>("apps")
            .Description("Its apps, filtered and ordered (default: by package).")
            .Argument<AppFilterType>("filter")
            .Argument<AppOrderType>("orderBy")
            .PageArguments(100)
            .Resolve(c => AppLoaders.InSnapshot(c, c.Source.Snapshot.Summary.Id, c.Source.Snapshot.Schema));
    }
}
