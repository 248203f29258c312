using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="AppListed"/>: one listing line of a snapshot.</summary>
public static class AppListedTable
{
    public static readonly EventTable<AppListed> Table = new("ev_app_listed",
        (e, changes) => changes.Apps.Add((e.Snapshot, e.Package)),
        Col<AppListed>.Text("snapshot", e => e.Snapshot),
        Col<AppListed>.Text("package", e => e.Package),
        Col<AppListed>.Text("title", e => e.Title),
        Col<AppListed>.Text("category", e => e.Category),
        Col<AppListed>.Text("installs", e => e.Installs),
        Col<AppListed>.Double("rating", e => e.Rating),
        Col<AppListed>.Int32("rank", e => e.Rank),
        Col<AppListed>.Date("crawled_at", e => e.CrawledAt),
        Col<AppListed>.Texts("files", e => e.Files));
}
