using System.Text;
using System.Text.Json.Nodes;
using GaugeNN.Events;
using GaugeNN.Tests.Shared;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Projections;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// The event contracts are enforced: every event type is catalogued with an alias, has an event table, and keeps the
/// JSON shape of its checked-in golden file (tests/fixtures/events/ALIAS.json); an uncatalogued type is refused at
/// append time, before anything is written.
/// </summary>
public sealed class EventContractTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private const string Sha = "8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27";

    /// <summary>One instance of every event type, every field set, as the golden files hold them.</summary>
    private static readonly Dictionary<Type, object> Samples = new()
    {
        [typeof(SnapshotOpened)] = new SnapshotOpened("2021-04", "April 2021", new DateOnly(2021, 4, 1), "id", "/data/2021-04", At),
        [typeof(SnapshotOpenedV1)] = new SnapshotOpenedV1("2020-02", "2020-02", null, "/data/2020-02", At),
        [typeof(AppListed)] = new AppListed("org.example.cam", "2021-04", "Cam", "PHOTOGRAPHY", "1,000,000+", 4.5, 12, new DateOnly(2021, 4, 2), ["org.example.cam.apk"], At),
        [typeof(ApkScanned)] = new ApkScanned("org.example.cam", "2021-04", "scankey", [new ScannedFile("org.example.cam.apk", Sha, 1234)], 42, "4.2",
            21, 30, ["android.permission.CAMERA"], ["android.hardware.camera"], 77, At),
        [typeof(ModelFileFound)] = new ModelFileFound("org.example.cam", "2021-04", "scankey", "assets/face.tflite", Sha, 4096, "tflite",
            ["extension", "magic"], false, 6.5, "file", At),
        [typeof(FrameworkEvidenceFound)] = new FrameworkEvidenceFound("org.example.cam", "2021-04", "scankey", "tflite", "native-lib", "libtensorflowlite_jni.so", At),
        [typeof(AppScanFailed)] = new AppScanFailed("org.example.cam", "2021-04", "split.apk", "not a readable zip archive", At),
        [typeof(ModelDissected)] = new ModelDissected(Sha, 2, "onnx", 1000, 2000, 1, [new UnknownMacNode("gemm_3", "Gemm", "input 0 has no known shape")],
            true, 3, [new NameCount("Conv", 2)], [new NameCount("int8", 2)], [new TensorSpec("input", [null, 3, 224, 224], ["batch", null, null, null], "uint8")],
            [TensorSpec.Of("out", [1, 10], "float32")], new Dictionary<string, string> { ["producer"] = "pytorch" }, "fingerprint",
            "image-classification", "output 10 classes", At),
        [typeof(ModelDissectedV1)] = new ModelDissectedV1(Sha, 1, "tflite", 1000, 2000, 1, true, 3, [new NameCount("CONV_2D", 2)],
            [new NameCount("int8", 2)], [new TensorSpecV1("input", [1, null, 224, 3], "uint8")], [new TensorSpecV1("out", [1, 10], "float32")],
            new Dictionary<string, string> { ["producer"] = "tflite" }, "fingerprint", "image-classification", "output 10 classes", At),
        [typeof(ModelDissectionFailed)] = new ModelDissectionFailed(Sha, 1, "onnx", "truncated at byte 12", false, At),
        [typeof(DeviceRegistered)] = new DeviceRegistered("samsung-SM-G991B-R5CR", "127.0.0.1:5555", "samsung", "SM-G991B", "Galaxy S", "Exynos 2100",
            "arm64-v8a", 33, 7800, 8, 1, 7, 2900, null, "high", 2021, "catalogue: SM-G991B (Galaxy S21, Exynos 2100)", false, At),
        [typeof(BenchmarkPlanned)] = new BenchmarkPlanned("plan-1", [Sha], ["host"],
            [new BenchmarkConfig("onnxruntime", "cpu", 4, 2, 20, new Dictionary<string, string> { ["graphOptimization"] = "all" })], At),
        [typeof(MeasurementRecorded)] = new MeasurementRecorded("run-1", "plan-1", Sha, "host", "onnxruntime", "1.31.1", "cpu", null, null, 4, 2, 20,
            12.5, 3.25, 2.5, 2.25, 0.125, 2.0, 3.0, 2.0, 2.25, 2.75, 2.875, 3.0, 48.5, 1.5, 650.0, 200, 100.0, 41.0, 44.5,
            At, At.AddSeconds(1), "gaugenn-host", "1.0", "measured", null, null, new Dictionary<string, string> { ["governor"] = "schedutil" }, At),
        [typeof(EnergyMeasured)] = new EnergyMeasured("run-1", 1.25, 640.0, 120.0, 5000, 5000.0, 10.0, 11.0, 0.0, 5.0, "power-monitor", "trace.csv", Sha, At),
        [typeof(OperatorProfileRecorded)] = new OperatorProfileRecorded("run-1", Sha, "host",
            [new OperatorTiming(0, "CONV_2D", "conv1", 0.0, 0.5, 0.25, 10.0, 10.0, 12.0, 1)], At),
        [typeof(BenchmarkFailed)] = new BenchmarkFailed("run-2", "plan-1", Sha, "host", "onnxruntime", "cpu", 4, "Load model failed", 1, At),
    };

    public static TheoryData<string> Aliases() =>
        [.. EventCatalogue.All.Select(e => e.Alias).Concat(EventCatalogue.Superseded.Select(e => e.Alias))];

    [Fact]
    public void every_event_type_is_catalogued_has_a_sample_and_the_current_ones_an_event_table()
    {
        var marked = typeof(IGaugeEvent).Assembly.GetTypes().Where(t => typeof(IGaugeEvent).IsAssignableFrom(t) && !t.IsInterface).ToHashSet();
        var catalogued = EventCatalogue.All.Select(e => e.Type).Concat(EventCatalogue.Superseded.Select(e => e.Type)).ToHashSet();
        Assert.Equal(marked.OrderBy(t => t.Name), catalogued.OrderBy(t => t.Name));
        Assert.Equal(marked.OrderBy(t => t.Name), Samples.Keys.OrderBy(t => t.Name));
        var aliases = EventCatalogue.All.Select(e => e.Alias).Concat(EventCatalogue.Superseded.Select(e => e.Alias)).ToList();
        Assert.Equal(aliases.Count, aliases.Distinct().Count());
        foreach (var (type, _) in EventCatalogue.All)
            Assert.True(WarehouseSchema.For(type) is not null, $"{type.Name} has no event table");
    }

    [Theory]
    [MemberData(nameof(Aliases))]
    public void each_alias_keeps_the_json_shape_of_its_golden_file_and_round_trips_through_it(string alias)
    {
        using var store = DocumentStore.For(o => o.Connection("Host=unused"));
        var serializer = store.Options.Serializer();
        var type = EventCatalogue.All.Where(e => e.Alias == alias).Select(e => e.Type)
            .Concat(EventCatalogue.Superseded.Where(e => e.Alias == alias).Select(e => e.Type)).Single();
        string golden = RepositoryRoot.Fixture(Path.Combine("events", alias + ".json"));
        string written = serializer.ToJson(Samples[type]);
        if (!File.Exists(golden))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, JsonNode.Parse(written)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            Assert.Fail($"wrote the golden file {golden}: review it and commit it");
        }
        string goldenJson = File.ReadAllText(golden);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(goldenJson), JsonNode.Parse(written)),
            $"{type.Name} no longer serialises as {alias}.json does: a shipped event is never edited (add a V2 and an upcaster)");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(goldenJson));
        var read = serializer.FromJson(type, stream);
        Assert.Equal(written, serializer.ToJson(read));
    }

    [Fact]
    public async Task a_stored_first_version_reads_back_upcast_into_the_current_type()
    {
        await using var w = new Workspace();
        var v1 = (SnapshotOpenedV1)Samples[typeof(SnapshotOpenedV1)];
        await using (var session = w.Store.LightweightSession())
        {
            session.QueueSqlCommand(
                $"INSERT INTO {w.Schema}.mt_streams (id, version) VALUES ('2020-02', 1)");
            session.QueueSqlCommand(
                $"INSERT INTO {w.Schema}.mt_events (seq_id, id, stream_id, version, data, type) " +
                $"VALUES (nextval('{w.Schema}.mt_events_sequence'), gen_random_uuid(), '2020-02', 1, ?::jsonb, 'snapshot_opened_v1')",
                w.Store.Options.Serializer().ToJson(v1));
            await session.SaveChangesAsync();
        }
        var read = Assert.Single(await new EventLog(w.Store).StreamAsync("2020-02", CancellationToken.None));
        Assert.Equal(new SnapshotOpened("2020-02", "2020-02", new DateOnly(2020, 2, 1), "id", "/data/2020-02", v1.At), read);
    }

    [Fact]
    public async Task the_feed_reads_every_stored_alias_as_martens_event_query_does_upcasting_superseded_ones_and_passing_tombstones()
    {
        await using var w = new Workspace();
        var serializer = w.Store.Options.Serializer();
        var stored = EventCatalogue.All.Select(e => (e.Alias, Json: serializer.ToJson(Samples[e.Type])))
            .Concat(EventCatalogue.Superseded.Select(e => (e.Alias, Json: serializer.ToJson(Samples[e.Type]))))
            .ToList();
        await using (var session = w.Store.LightweightSession())
        {
            foreach (var (i, (alias, json)) in stored.Index())
            {
                session.QueueSqlCommand($"INSERT INTO {w.Schema}.mt_streams (id, version) VALUES ('stream-{i}', 1)");
                session.QueueSqlCommand(
                    $"INSERT INTO {w.Schema}.mt_events (seq_id, id, stream_id, version, data, type) " +
                    $"VALUES (nextval('{w.Schema}.mt_events_sequence'), gen_random_uuid(), 'stream-{i}', 1, ?::jsonb, '{alias}')", json);
            }
            await session.SaveChangesAsync();
        }
        // What Marten writes into the sequence numbers of a rolled-back append.
        await using (var session = w.Store.LightweightSession())
        {
            var tombstone = typeof(JasperFx.Events.Tombstone);
            session.QueueSqlCommand(
                $"INSERT INTO {w.Schema}.mt_events (seq_id, id, stream_id, version, data, type, mt_dotnet_type) " +
                $"VALUES (nextval('{w.Schema}.mt_events_sequence'), gen_random_uuid(), 'stream-0', 2, '{{}}'::jsonb, '{StoredEvents.TombstoneAlias}', ?)",
                $"{tombstone.FullName}, {tombstone.Assembly.GetName().Name}");
            await session.SaveChangesAsync();
        }
        var marten = await w.WithEventsAsync(async s => await s.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync());

        var page = await new EventFeed(w.Store, new PostgresGapProbe(w.Store)).ReadPagesAsync(0, 1000, 1000, CancellationToken.None).FirstAsync();

        Assert.Null(page.BlockedBy);
        Assert.Equal(marten[^1].Sequence, page.ReadThrough);
        Assert.Equal(
            marten.Where(e => e.EventTypeName != StoredEvents.TombstoneAlias)
                .Select(e => (e.Sequence, e.StreamKey, e.EventTypeName, e.Timestamp, e.Data.GetType(), serializer.ToJson(e.Data))),
            page.Events.Select(e => (e.Sequence, (string?)e.Stream, e.Alias, e.AppendedAt, e.Data.GetType(), serializer.ToJson(e.Data))));
        Assert.Contains(marten, e => e.EventTypeName == StoredEvents.TombstoneAlias);
        Assert.Equal(stored.Count, page.Events.Count);
        Assert.All(EventCatalogue.Superseded, old => Assert.IsType(old.UpcastTo, page.Events.Single(e => e.Alias == old.Alias).Data));
    }

    private sealed record NotCatalogued(string Id, DateTimeOffset At) : IGaugeEvent;

    [Fact]
    public async Task appending_an_uncatalogued_event_type_fails_at_append_time_and_writes_nothing()
    {
        await using var w = new Workspace();
        await using var session = w.Store.LightweightSession();
        session.Events.Append("2021-04", Samples[typeof(SnapshotOpened)], new NotCatalogued("x", At));
        await Assert.ThrowsAsync<UncataloguedEventException>(() => session.SaveChangesAsync());
        Assert.Equal(0, await w.EventCountAsync());
    }
}
