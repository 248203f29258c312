using GaugeNN.Application;
using GaugeNN.Warehouse.Postgres;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>A PostgreSQL restart between two ingests loses nothing, and the same store keeps working.</summary>
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task after_a_database_restart_the_same_store_ingests_on_and_nothing_appended_before_is_lost()
    {
        if (DataFolder.SharedPostgres is not null)
            return; // a server we do not own is not ours to restart
        string home = Directory.CreateTempSubdirectory("gaugenn-restart-").FullName;
        var cluster = new PrivateCluster(home);
        try
        {
            await using var w = new Workspace(connection: cluster.EnsureRunning());
            await w.IngestAsync("2020-02");
            long before = await w.EventCountAsync();

            Assert.True(cluster.Stop());
            cluster.EnsureRunning();
            var second = await w.IngestAsync("2021-04");

            var events = await w.WithEventsAsync(s => s.Events.QueryAllRawEvents().ToListAsync());
            Assert.Equal(14, second.AppsRead);
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
