using GaugeNN.Application;
using GaugeNN.Application.UseCases;
using GaugeNN.Events;
using GaugeNN.Warehouse.EventStore;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// Writers racing on the same facts end with exactly one copy of each: "already recorded" and the append are one
/// transaction, and the loser of a race decides again.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task four_concurrent_ingests_of_one_snapshot_append_exactly_the_events_of_one_ingest()
    {
        await using var reference = new Workspace();
        string corpus = SyntheticCorpus.Generate(reference.Root, apps: 200, snapshots: 1, seed: 5);
        string snapshot = SyntheticCorpus.Snapshots(corpus)[0];
        await reference.IngestAsync(snapshot, Path.Combine(corpus, snapshot));
        var expected = await EventsPerTypeAsync(reference.Store);

        await using var shared = new Workspace();
        var writers = Enumerable.Range(0, 4).Select(_ => Gauge.Open(shared.Home, PostgresServer.ConnectionString, shared.Schema)).ToList();
        try
        {
            await Task.WhenAll(writers.Select(g => Task.Run(() => new IngestSnapshot(g).RunAsync(
                new IngestRequest(snapshot, Path.Combine(corpus, snapshot), Options: new GaugeNN.Ingest.IngestOptions { Parallelism = 1 }),
                null, CancellationToken.None))));
        }
        finally
        {
            foreach (var g in writers) g.Dispose();
        }

        Assert.Equal(expected, await EventsPerTypeAsync(shared.Store));
        Assert.Equal(0, await DuplicateGroupsAsync(shared.Store));
        await reference.ProjectAsync();
        await shared.ProjectAsync();
        Assert.Equal(reference.DumpTables(), shared.DumpTables());
    }

    [Fact]
    public async Task three_concurrent_reanalyses_dissect_each_model_once()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        long dissected = await CountAsync<ModelDissected>(w.Store);
        await using (var session = w.Store.LightweightSession())
        {
            var models = await session.Query<ModelLedgerEntry>().ToListAsync();
            foreach (var model in models)
            {
                model.AnalyserVersion = 0;
                session.Update(model);
            }
            await session.SaveChangesAsync();
        }

        var runs = Enumerable.Range(0, 3).Select(_ => Gauge.Open(w.Home, PostgresServer.ConnectionString, w.Schema)).ToList();
        AnalysisReport[] reports;
        try
        {
            reports = await Task.WhenAll(runs.Select(g => Task.Run(() => new ReanalyseModels(g).RunAsync(null, CancellationToken.None))));
        }
        finally
        {
            foreach (var g in runs) g.Dispose();
        }

        Assert.True(2 * dissected == await CountAsync<ModelDissected>(w.Store), string.Join("; ", reports.Select(r => r.ToString())));
        Assert.Equal(dissected, reports.Sum(r => r.Dissected));
    }

    [Fact]
    public async Task two_shards_in_parallel_leave_exactly_the_facts_of_one_worker()
    {
        await using var one = new Workspace();
        string corpus = SyntheticCorpus.Generate(one.Root, apps: 150, snapshots: 1, seed: 9);
        string snapshot = SyntheticCorpus.Snapshots(corpus)[0];
        string folder = Path.Combine(corpus, snapshot);
        File.AppendAllLines(Path.Combine(folder, "listing.jsonl"), ["{not json"]);
        await one.IngestAsync(snapshot, folder);

        await using var sharded = new Workspace();
        var workers = Enumerable.Range(0, 2).Select(_ => Gauge.Open(sharded.Home, PostgresServer.ConnectionString, sharded.Schema)).ToList();
        IngestReport[] reports;
        try
        {
            reports = await Task.WhenAll(workers.Select((g, i) => Task.Run(() => new IngestSnapshot(g).RunAsync(
                new IngestRequest(snapshot, folder, Shard: new Shard(i, 2), Options: new GaugeNN.Ingest.IngestOptions { Parallelism = 1 }),
                null, CancellationToken.None))));
        }
        finally
        {
            foreach (var g in workers) g.Dispose();
        }

        Assert.All(reports, r => Assert.InRange(r.AppsRead, 1, 150));
        Assert.Equal(await EventsPerTypeAsync(one.Store), await EventsPerTypeAsync(sharded.Store));
        await one.ProjectAsync();
        await sharded.ProjectAsync();
        Assert.Equal(one.DumpTables(), sharded.DumpTables());
    }

    private static async Task<string> EventsPerTypeAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        // Tombstones are Marten's fillers for the sequence numbers of a rolled-back append: not facts.
        return string.Join(", ", events.Where(e => e.Data is IGaugeEvent).GroupBy(e => e.EventTypeName).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
    }

    /// <summary>Facts appended twice: the same app's same scan or listing line more than once in a snapshot.</summary>
    private static async Task<long> DuplicateGroupsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        var keys = events.Select(e => e.Data switch
        {
            ApkScanned s => $"scan|{s.Snapshot}|{s.Package}|{s.ScanKey}",
            AppListed l => $"listing|{l.Snapshot}|{l.Package}",
            ModelFileFound m => $"file|{m.Snapshot}|{m.Package}|{m.ScanKey}|{m.Path}",
            SnapshotOpened o => $"open|{o.Snapshot}",
            _ => null,
        }).OfType<string>();
        return keys.GroupBy(k => k).LongCount(g => g.Count() > 1);
    }

    private static async Task<long> CountAsync<T>(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return (await session.Events.QueryAllRawEvents().ToListAsync()).LongCount(e => e.Data is T);
    }
}
