using GaugeNN.Cli.Commands;
using GaugeNN.Warehouse;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Postgres;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>A PostgreSQL restart between two ingests loses nothing, and the same store keeps working.</summary>
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task after_a_database_restart_the_same_store_ingests_on_and_nothing_appended_before_is_lost()
    {
        if (Environment.GetEnvironmentVariable(GaugeHome.PostgresVariable) is { Length: > 0 })
            return; // a server we do not own is not ours to restart
        string home = Directory.CreateTempSubdirectory("gaugenn-restart-").FullName;
        var cluster = new PrivateCluster(home);
        try
        {
            using var store = GaugeStore.Create(cluster.EnsureRunning());
            var gaugeHome = new GaugeHome(home);
            await IngestCommand.IngestAsync(gaugeHome, store, "2020-02", Repo.Snapshot("2020-02"), null, new GaugeNN.Ingest.IngestOptions { Parallelism = 2 }, CancellationToken.None);
            long before;
            await using (var session = store.QuerySession())
                before = await Marten.QueryableExtensions.LongCountAsync(session.Events.QueryAllRawEvents());

            Assert.True(cluster.Stop());
            cluster.EnsureRunning();
            string second = await IngestCommand.IngestAsync(gaugeHome, store, "2021-04", Repo.Snapshot("2021-04"), null, new GaugeNN.Ingest.IngestOptions { Parallelism = 2 }, CancellationToken.None);

            await using var after = store.QuerySession();
            var events = await Marten.QueryableExtensions.ToListAsync(after.Events.QueryAllRawEvents());
            Assert.Contains("14 apps read", second);
            Assert.True(before > 0);
            Assert.True(events.Count > before);
            Assert.Equal(before, events.Count(e => e.Sequence <= before));
        }
        finally
        {
            cluster.Stop();
            Directory.Delete(home, recursive: true);
        }
    }
}
