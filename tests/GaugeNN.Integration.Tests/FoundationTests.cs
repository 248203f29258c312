using System.Text.Json.Nodes;
using GaugeNN.Application.UseCases;
using GaugeNN.Events;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>APK bytes → events in PostgreSQL → DuckDB → GraphQL, checked against expected.json.</summary>
public sealed class FoundationTests
{
    private const string SnapshotsQuery =
        "{ snapshots { id apps dlApps modelFiles encryptedModelFiles uniqueModels formats { name modelFiles } } }";

    [Fact]
    public async Task ingesting_2020_02_then_projecting_answers_graphql_exactly_as_expected_json()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.ProjectAsync();

        var data = await w.GraphQLAsync(SnapshotsQuery);
        var snapshot = Assert.Single(data["snapshots"]!.AsArray())!;
        var expected = Repo.Expected["snapshots"]!["2020-02"]!;
        Assert.Equal("2020-02", (string)snapshot["id"]!);
        Assert.Equal((int)expected["appsListed"]!, (int)snapshot["apps"]!);
        Assert.Equal((int)expected["appsWithModelsOrEncrypted"]!, (int)snapshot["dlApps"]!);
        Assert.Equal((int)expected["modelFiles"]!, (int)snapshot["modelFiles"]!);
        Assert.Equal((int)expected["encryptedModels"]!, (int)snapshot["encryptedModelFiles"]!);
        Assert.Equal((int)expected["uniqueModelSha256Count"]!, (int)snapshot["uniqueModels"]!);
        var formats = snapshot["formats"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (int)f!["modelFiles"]!);
        var expectedFormats = expected["modelFilesByFramework"]!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!);
        Assert.Equal(expectedFormats.OrderBy(p => p.Key), formats.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task the_tflite_files_of_plain_apks_are_exactly_those_of_expected_json()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.ProjectAsync();

        var data = await w.GraphQLAsync("""{ snapshot(id: "2020-02") { apps(first: 1000) { edges { node { package models { path sha256 format bytes encrypted } } } } } }""");
        static bool Plain(string path) => !path.Contains("!/") && !path.Contains('@');
        var actual = Workspace.Nodes(data["snapshot"]!["apps"])
            .SelectMany(a => a!["models"]!.AsArray().Where(m => !(bool)m!["encrypted"]!).Select(m => (Package: (string)a["package"]!, Path: (string)m!["path"]!,
                Sha: (string)m["sha256"]!, Format: (string)m["format"]!, Bytes: (long)m["bytes"]!)))
            .Where(m => m.Format == "tflite" && Plain(m.Path))
            .OrderBy(m => m.Package).ThenBy(m => m.Path).ToList();
        var expected = Repo.Expected["snapshots"]!["2020-02"]!["apps"]!.AsObject()
            .SelectMany(app => app.Value!["models"]!.AsArray().Select(m => (Package: app.Key, Path: (string)m!["path"]!,
                Sha: (string)m["sha256"]!, Format: (string)m["framework"]!, Bytes: (long)m["size"]!)))
            .Where(m => m.Format == "tflite" && Plain(m.Path))
            .OrderBy(m => m.Package).ThenBy(m => m.Path).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task a_second_ingest_of_the_same_folder_appends_zero_events()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        long first = await w.EventCountAsync();
        await w.IngestAsync("2020-02");
        Assert.True(first > 0);
        Assert.Equal(first, await w.EventCountAsync());
    }

    [Fact]
    public async Task deleting_the_duckdb_file_and_reprojecting_gives_identical_tables()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.ProjectAsync();
        await w.IngestAsync("2021-04");
        await w.ProjectAsync(); // incremental: only the second snapshot's events
        var incremental = w.DumpTables();

        File.Delete(w.Home.DuckDbFile);
        await w.ProjectAsync();
        var replayed = w.DumpTables();

        Assert.Equal(incremental.Keys, replayed.Keys);
        foreach (var table in incremental.Keys)
            Assert.Equal(incremental[table], replayed[table]);
        foreach (var table in new[] { "dim_snapshot", "dim_app", "dim_model", "fact_app_model", "fact_app_snapshot" })
            Assert.NotEmpty(incremental[table]);
    }

    [Fact]
    public async Task parquet_files_read_back_through_duckdb_equal_the_tables()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        string outDirectory = Path.Combine(w.Root, "parquet");
        var (_, export) = await new ExportLake(w.Gauge).RunAsync(outDirectory, LakeFormat.Parquet, false, null, CancellationToken.None);

        Assert.Contains(export.Files, f => f.Contains(Path.Combine("fact_app_model", "snapshot=2021-04")));
        using var warehouse = DuckDbWarehouse.Open(w.Home.DuckDbFile, readOnly: true);
        foreach (var table in WarehouseSchema.Tables)
        {
            string columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
            string glob = Path.Combine(outDirectory, table.Name, table.PartitionColumn is null ? "*.parquet" : "*/*.parquet");
            string source = table.PartitionColumn is null
                ? $"read_parquet('{glob}')"
                : $"read_parquet('{glob}', hive_partitioning = true, hive_types = {{'snapshot': VARCHAR}})";
            long tableRows = warehouse.Scalar<long>($"SELECT count(*) FROM {table.Name}");
            long fileRows = warehouse.Scalar<long>($"SELECT count(*) FROM {source}");
            long differing = warehouse.Scalar<long>(
                $"SELECT count(*) FROM ((SELECT {columns} FROM {table.Name} EXCEPT ALL SELECT {columns} FROM {source}) " +
                $"UNION ALL (SELECT {columns} FROM {source} EXCEPT ALL SELECT {columns} FROM {table.Name}))");
            Assert.Equal(tableRows, fileRows);
            Assert.Equal(0, differing);
        }
    }

    [Fact]
    public async Task arrow_files_hold_exactly_the_rows_of_the_tables_nested_columns_included()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        string outDirectory = Path.Combine(w.Root, "arrow");
        var (_, export) = await new ExportLake(w.Gauge).RunAsync(outDirectory, LakeFormat.Arrow, false, null, CancellationToken.None);

        using var warehouse = DuckDbWarehouse.Open(w.Home.DuckDbFile, readOnly: true);
        foreach (var table in WarehouseSchema.Tables)
        {
            var columns = table.Columns.Where(c => c.Name != table.PartitionColumn).Select(c => c.Name).ToList();
            string select = string.Join(", ", columns.Select(c => $"\"{c}\""));
            var expected = warehouse.Query($"SELECT CAST(to_json(x) AS VARCHAR) FROM (SELECT {select} FROM {table.Name}) x",
                r => ArrowJson.Canonical(JsonNode.Parse(r.GetString(0)))).Order().ToList();
            var actual = new List<string>();
            foreach (var file in export.Files.Where(f => f.Split(Path.DirectorySeparatorChar).Contains(table.Name)))
            {
                using var reader = new Apache.Arrow.Ipc.ArrowFileReader(File.OpenRead(file));
                for (var batch = reader.ReadNextRecordBatch(); batch is not null; batch = reader.ReadNextRecordBatch())
                {
                    Assert.Equal(columns, batch.Schema.FieldsList.Select(f => f.Name).ToList());
                    for (int row = 0; row < batch.Length; row++)
                    {
                        var record = new JsonObject();
                        for (int i = 0; i < columns.Count; i++) record[columns[i]] = ArrowJson.Value(batch.Column(i), row);
                        actual.Add(ArrowJson.Canonical(record));
                    }
                }
            }
            Assert.Equal(expected, actual.Order().ToList());
        }
    }

    [Fact]
    public async Task every_bad_listing_line_is_a_failure_event_once_and_the_good_lines_are_ingested()
    {
        await using var w = new Workspace();
        string folder = w.CopySnapshot("2020-02");
        File.AppendAllLines(Path.Combine(folder, "listing.jsonl"), ["{not json", """{"package": "x", "apk": "../../etc/passwd"}"""]);

        await w.IngestAsync("2020-02", folder);
        long events = await w.EventCountAsync();
        await w.IngestAsync("2020-02", folder);
        await w.ProjectAsync();

        Assert.Equal(events, await w.EventCountAsync());
        var failures = await w.WithEventsAsync(async s =>
            (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).OfType<AppScanFailed>().ToList());
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Contains("listing.jsonl line", f.Reason));
        Assert.Contains(failures, f => f.Reason.Contains("line 13"));
        Assert.Contains(failures, f => f.Reason.Contains("line 14"));
        var data = await w.GraphQLAsync(SnapshotsQuery);
        Assert.Equal((int)Repo.Expected["snapshots"]!["2020-02"]!["appsListed"]!, (int)data["snapshots"]![0]!["apps"]!);
    }

    [Fact]
    public async Task a_corrupt_apk_is_a_failure_event_with_its_reason_and_the_rest_of_the_folder_is_ingested()
    {
        await using var w = new Workspace();
        string folder = w.CopySnapshot("2020-02");
        byte[] garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        "PK\u0003\u0004"u8.CopyTo(garbage);
        await File.WriteAllBytesAsync(Path.Combine(folder, "com.example.corrupt.apk"), garbage);

        await w.IngestAsync("2020-02", folder);
        await w.ProjectAsync();

        var failures = await w.WithEventsAsync(async s =>
            (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).OfType<AppScanFailed>().ToList());
        var failure = Assert.Single(failures);
        Assert.Equal("com.example.corrupt.apk", failure.File);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        var data = await w.GraphQLAsync(SnapshotsQuery);
        var snapshot = data["snapshots"]![0]!;
        Assert.Equal((int)Repo.Expected["snapshots"]!["2020-02"]!["modelFiles"]!, (int)snapshot["modelFiles"]!);
    }

    [Fact]
    public async Task nul_characters_and_lone_surrogates_in_an_apk_s_strings_become_replacement_characters_and_the_batch_goes_on()
    {
        // PostgreSQL's jsonb cannot hold U+0000 nor text that is not UTF-16, and an APK's string pools can: one such app must not abort its batch.
        await using var w = new Workspace();
        string folder = w.CopySnapshot("2020-02");
        var axml = new GaugeNN.Ingest.Tests.AxmlBuilder(utf8: false);
        uint name = axml.AttributeName("name", 0x01010003);
        uint versionName = axml.AttributeName("versionName", 0x0101021c);
        uint package = axml.String("package");
        axml.Element("manifest", (package, GaugeNN.Ingest.Tests.AxmlBuilder.TypeString, axml.String("org.example.nul")),
            (versionName, GaugeNN.Ingest.Tests.AxmlBuilder.TypeString, axml.String("1.0\0beta")));
        axml.Element("uses-permission", (name, GaugeNN.Ingest.Tests.AxmlBuilder.TypeString, axml.String("android.permission.\0CAMERA")));
        axml.Element("uses-permission", (name, GaugeNN.Ingest.Tests.AxmlBuilder.TypeString, axml.String("android.permission.\uD800LONE")));
        using (var apk = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "org.example.nul.apk"), System.IO.Compression.ZipArchiveMode.Create))
        await using (var entry = apk.CreateEntry("AndroidManifest.xml").Open())
            await entry.WriteAsync(axml.Build());

        var report = await w.IngestAsync("2020-02", folder);
        await w.ProjectAsync();

        var scans = await w.WithEventsAsync(async s =>
            (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).OfType<ApkScanned>().ToList());
        var nul = Assert.Single(scans, a => a.Package == "org.example.nul");
        Assert.Equal("1.0\uFFFDbeta", nul.VersionName);
        Assert.Equal(["android.permission.\uFFFDCAMERA", "android.permission.\uFFFDLONE"], nul.Permissions);
        var data = await w.GraphQLAsync(SnapshotsQuery);
        Assert.Equal((int)Repo.Expected["snapshots"]!["2020-02"]!["appsListed"]! + 1, (int)data["snapshots"]![0]!["apps"]!);
        Assert.Equal((int)Repo.Expected["snapshots"]!["2020-02"]!["modelFiles"]!, (int)data["snapshots"]![0]!["modelFiles"]!);
    }
}
