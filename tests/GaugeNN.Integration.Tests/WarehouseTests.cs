using DuckDB.NET.Data;
using GaugeNN.Application;
using GaugeNN.Events;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Projections;
using Marten;
using Npgsql;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// The warehouse is a function of the events: incrementally kept tables equal a rebuild, upcast events project like
/// new ones, a gap in the log is never jumped while a writer may still fill it, a measurement touches only its own
/// tables, and "as of" answers what the log said then.
/// </summary>
public sealed class WarehouseTests
{
    [Fact]
    public async Task a_store_of_first_version_events_and_one_of_current_events_project_to_identical_tables()
    {
        await using var current = new Workspace();
        await using var legacy = new Workspace();
        foreach (var w in new[] { current, legacy })
        {
            await w.IngestAsync("2020-02");
            await w.IngestAsync("2021-04");
        }
        // What the earlier release stored: snapshot_opened_v1, with no capture date.
        await using (var session = legacy.Store.LightweightSession())
        {
            session.QueueSqlCommand($"UPDATE {legacy.Schema}.mt_events SET type = 'snapshot_opened_v1', " +
                                    "data = (data - 'CapturedAtFrom') || '{\"CapturedAt\": null}'::jsonb WHERE type = 'snapshot_opened_v2'");
            await session.SaveChangesAsync();
        }
        Assert.Equal(2, await legacy.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().ToListAsync()).Count(e => e.EventTypeName == "snapshot_opened_v1")));

        await current.ProjectAsync();
        await legacy.ProjectAsync();
        Assert.Equal(current.DumpTables(), legacy.DumpTables());
    }

    [Fact]
    public async Task tables_kept_up_incrementally_through_rescans_and_relistings_equal_a_rebuild()
    {
        await using var w = new Workspace();
        string folder = w.CopySnapshot("2020-02");
        await w.IngestAsync("2020-02", folder);
        await w.ProjectAsync();
        await w.IngestAsync("2021-04");
        await w.ProjectAsync();
        // Re-crawl 2020-02: one app's bytes replaced by another app's, one listing line changed.
        File.Copy(Path.Combine(folder, "org.gaugenn.fixture.selfie.apk"), Path.Combine(folder, "org.gaugenn.fixture.facecam.apk"), overwrite: true);
        var listing = File.ReadAllLines(Path.Combine(folder, "listing.jsonl"));
        File.WriteAllLines(Path.Combine(folder, "listing.jsonl"), listing.Select(l => l.Contains("ocrscan") ? l.Replace("\"title\": \"", "\"title\": \"New ") : l));
        var rescan = await w.IngestAsync("2020-02", folder);
        Assert.True(rescan.AppsChanged >= 1);
        var step = await w.ProjectAsync();
        Assert.DoesNotContain(step.Steps, s => s.Full);
        var incremental = w.DumpTables();

        await w.ProjectAsync(rebuild: true);
        Assert.Equal(incremental, w.DumpTables());
    }

    [Fact]
    public async Task a_measurement_updates_only_the_device_and_run_tables()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await w.ProjectAsync();
        var log = new EventLog(w.Store);
        var at = DateTimeOffset.UtcNow;
        string model = (await w.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).OfType<ModelDissected>().First())).Sha256;
        await log.StartStreamOnceAsync("host", [new DeviceRegistered("host", null, null, null, null, null, "x86_64", null, 24000, 2, 2, 0, null,
            "test cpu", "host", null, "the machine itself", false, at)], CancellationToken.None);
        await log.StartStreamOnceAsync("run-1", [new MeasurementRecorded("run-1", null, model, "host", "onnxruntime", "1.31.1", "cpu", null, null,
            1, 1, 5, 10, 2, 2, 1.5, 0.1, 1.4, 1.7, null, 1.5, 1.6, null, 1.7, 30, null, null, null, null, null, null, null, null,
            "test", "1", "measured", null, null, new Dictionary<string, string>(), at)], CancellationToken.None);

        var report = await w.ProjectAsync();

        var touched = report.Steps.SelectMany(s => s.Tables).Select(t => t.Table).Distinct().Order().ToList();
        Assert.Equal(["dim_device", "fact_benchmark_failure", "fact_measurement", "fact_operator_profile"], touched);
        Assert.Contains(report.Steps.SelectMany(s => s.Tables), t => t.Table == "fact_measurement" && t.RowsInserted == 1);
    }

    [Fact]
    public async Task a_rebuild_without_a_host_starts_a_new_file_in_the_current_storage_format_with_the_same_tables()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await w.ProjectAsync();
        var projected = w.DumpTables();
        string file = w.Home.DuckDbFile;
        // A file in DuckDB's older default format, as releases before this one wrote it, holding a table of its own.
        File.Delete(file);
        using (var old = new DuckDBConnection($"Data Source={file};storage_compatibility_version=v0.10.2"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = "CREATE TABLE leftover AS SELECT range AS n FROM range(100000)";
            create.ExecuteNonQuery();
        }
        Assert.Equal("v1.0.0+", StorageVersion(file));

        var rebuilt = await w.ProjectAsync(rebuild: true);

        Assert.True(rebuilt.Rebuilt);
        Assert.Equal(rebuilt.StoreHead, rebuilt.Checkpoint);
        Assert.Equal($"{DuckDbWarehouse.StorageVersion}+", StorageVersion(file));
        Assert.Equal(projected, w.DumpTables());
        using var warehouse = DuckDbWarehouse.Open(file, readOnly: true);
        Assert.Equal(0, warehouse.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'leftover'"));
    }

    [Fact]
    public async Task a_rebuild_replaces_a_warehouse_file_duckdb_cannot_read()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.ProjectAsync();
        var projected = w.DumpTables();
        File.WriteAllBytes(w.Home.DuckDbFile, [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31))]);
        var refused = await Assert.ThrowsAsync<UnreadableWarehouseException>(() => w.ProjectAsync());
        Assert.Contains("project --rebuild", refused.Message);

        var rebuilt = await w.ProjectAsync(rebuild: true);

        Assert.Equal(rebuilt.StoreHead, rebuilt.Checkpoint);
        Assert.Equal(projected, w.DumpTables());
    }

    private static string StorageVersion(string file)
    {
        using var warehouse = DuckDbWarehouse.Open(file, readOnly: true);
        return warehouse.Scalar<string>("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()")!;
    }

    [Fact]
    public void a_warehouse_file_whose_first_schema_never_committed_reads_as_nothing_projected()
    {
        string folder = Directory.CreateTempSubdirectory("gaugenn-empty-warehouse").FullName;
        try
        {
            using var warehouse = DuckDbWarehouse.Open(Path.Combine(folder, "warehouse.duckdb"));
            Assert.Equal(0, new Projector(warehouse).Checkpoint);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task as_of_a_sequence_number_or_a_time_the_api_answers_what_the_log_said_then()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        long after2020 = await w.EventCountAsync();
        var appended = await w.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().Where(e => e.Sequence == after2020).SingleAsync()).Timestamp);
        await Task.Delay(10); // the next ingest's events are appended strictly later
        await w.IngestAsync("2021-04");
        var then = await w.GraphQLAsync($$"""
            { then: snapshots(asOf: { sequence: {{after2020}} }) { id apps modelFiles }
              thenByTime: snapshots(asOf: { time: "{{appended:O}}" }) { id apps modelFiles }
              beforeAll: snapshots(asOf: { time: "{{appended.AddYears(-1):O}}" }) { id }
              now: snapshots { id apps modelFiles }
              adoption(by: FRAMEWORK, asOf: { sequence: {{after2020}} }) { key points { snapshot } } }
            """);
        Assert.Equal(["2020-02"], then["then"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.Equal(then["then"]!.ToJsonString(), then["thenByTime"]!.ToJsonString());
        Assert.Empty(then["beforeAll"]!.AsArray());
        Assert.Equal(then["now"]![0]!.ToJsonString(), then["then"]![0]!.ToJsonString());
        Assert.Equal(2, then["now"]!.AsArray().Count);
        Assert.All(then["adoption"]!.AsArray(), series => Assert.All(series!["points"]!.AsArray(), p => Assert.Equal("2020-02", (string)p!["snapshot"]!)));
    }

    /// <summary>A clock and a list of open transactions the test sets.</summary>
    private sealed class FakeProbe : IGapProbe
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        public List<string> Writers { get; } = [];
        public Task<DateTimeOffset> NowAsync(CancellationToken ct) => Task.FromResult(Now);
        public Task<IReadOnlyList<string>> PossibleWritersAsync(DateTimeOffset since, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([.. Writers]);
    }

    [Fact]
    public async Task the_feed_cuts_one_read_into_pages_that_hold_every_event_once_in_order_up_to_its_limit()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        var feed = new EventFeed(w.Store, new PostgresGapProbe(w.Store));
        var whole = (await feed.ReadPagesAsync(0, 100_000, null, CancellationToken.None).SingleAsync()).Events.Select(e => e.Sequence).ToList();
        Assert.Equal(await w.EventCountAsync(), whole.Count);

        var pages = await feed.ReadPagesAsync(0, 7, null, CancellationToken.None).ToListAsync();
        Assert.True(pages.Count > 2);
        Assert.All(pages, p => Assert.InRange(p.Events.Count, 1, 7));
        Assert.All(pages, p => Assert.Null(p.BlockedBy));
        Assert.Equal(whole, pages.SelectMany(p => p.Events).Select(e => e.Sequence));
        Assert.Equal(pages.Select(p => p.Events[^1].Sequence), pages.Select(p => p.ReadThrough));

        var limited = await feed.ReadPagesAsync(whole[4], 7, 10, CancellationToken.None).ToListAsync();
        Assert.Equal(whole.Skip(5).Take(10), limited.SelectMany(p => p.Events).Select(e => e.Sequence));
        Assert.Equal(whole[14], limited[^1].ReadThrough);

        var past = await feed.ReadPagesAsync(whole[^1], 7, null, CancellationToken.None).ToListAsync();
        Assert.Equal((whole[^1], 0), (past.Single().ReadThrough, past.Single().Events.Count));
    }

    [Fact]
    public async Task a_gap_is_passed_only_once_it_is_old_enough_by_the_database_clock_and_no_writer_that_began_before_it_remains()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        long before = await w.EventCountAsync();
        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var burn = new NpgsqlCommand($"SELECT nextval('{w.Schema}.mt_events_sequence') FROM generate_series(1, 3)", connection);
            await burn.ExecuteNonQueryAsync();
        }
        await w.IngestAsync("2021-04");
        var probe = new FakeProbe();
        var feed = new EventFeed(w.Store, probe);

        var first = await feed.ReadPagesAsync(0, 10_000, 10_000, CancellationToken.None).FirstAsync();
        Assert.Equal(before, first.Events.Count);
        Assert.NotNull(first.BlockedBy);
        Assert.Equal((before, before + 4), (first.BlockedBy!.AfterSequence, first.BlockedBy.NextSequence));

        probe.Now += EventFeed.MinGapAge;
        probe.Writers.Add("pid 4242 (gaugenn) idle in transaction");
        var held = await feed.ReadPagesAsync(before, 10_000, 10_000, CancellationToken.None).FirstAsync();
        Assert.Empty(held.Events);
        Assert.Contains("pid 4242", held.BlockedBy!.ToString());

        probe.Writers.Clear();
        var passed = await feed.ReadPagesAsync(before, 10_000, 10_000, CancellationToken.None).FirstAsync();
        Assert.Null(passed.BlockedBy);
        Assert.Equal(await w.EventCountAsync() - before, passed.Events.Count);
    }

    [Fact]
    public async Task a_catch_up_facing_a_gap_held_by_an_open_transaction_fails_naming_it_and_applies_nothing_past_it()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        long before = await w.EventCountAsync();
        await using var writer = new NpgsqlConnection(PostgresServer.ConnectionString);
        await writer.OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var reserve = new NpgsqlCommand($"SELECT nextval('{w.Schema}.mt_events_sequence')", writer, transaction))
            await reserve.ExecuteNonQueryAsync();
        await w.IngestAsync("2021-04");

        using (var warehouse = OpenWarehouse.Open(w.Gauge, OpenWarehouse.Me("test")))
        {
            var failure = await Assert.ThrowsAsync<GapStillOpenException>(() =>
                warehouse.Follower.CatchUpAsync(TimeSpan.FromSeconds(3), null, CancellationToken.None));
            Assert.Contains($"pid {writer.ProcessID}", failure.Message);
            Assert.Equal(before, warehouse.Projector.Checkpoint);
        }
        await transaction.RollbackAsync();

        var report = await w.ProjectAsync();
        Assert.Equal(await w.EventCountAsync() - before, report.EventsApplied);
        Assert.Equal(report.StoreHead, report.Checkpoint);
        Assert.Equal(2, (await w.GraphQLAsync("{ snapshots { id } }"))["snapshots"]!.AsArray().Count);
    }
}
