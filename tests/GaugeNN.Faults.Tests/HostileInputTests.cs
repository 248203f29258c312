using System.Text;
using System.Text.Json.Nodes;
using GaugeNN.Faults.Tests.Infrastructure;
using GaugeNN.Warehouse.Export;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// Hostile snapshot ids and listing lines through the real CLI: ids are refused at the door, every listing line becomes
/// an app or a failure row while the good lines are ingested as in the reference, and no command writes anything
/// outside its data folder and its export folder (the file tree around them is the same before and after).
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class HostileInputTests(Reference reference, ITestOutputHelper output)
{
    private const int GoodApps = 40;

    public static readonly string[] HostileIds =
    [
        "../../x", "../../../../x", "a/b", "a b", "", "\n", "a\nb", new('a', 100), "..", ".", "/abs", "a\\b", "\u0007", "x/../../y",
    ];

    /// <summary>Listing lines no ingest may choke on; packages that could be apps start with org.hostile.</summary>
    private static readonly byte[][] HostileLines =
    [
        .. new[]
        {
            """{"package": "org.hostile.nullapk", "apk": [null]}""",
            """{"package": ""}""",
            """{"package": 5}""",
            """{"package": "org.hostile.dotdot", "apk": "../x"}""",
            """{"package": "org.hostile.abs", "apk": "/etc/passwd"}""",
            """{"package": "org.hostile.apkobj", "apk": {"name": "x.apk"}}""",
            """{"package": ["org.hostile.list"]}""",
            """{"package": "../../etc/passwd"}""",
            """[1, 2, 3]""",
            "\"a string\"",
            "null",
            "42",
            "{}",
            """{"package": "org.hostile.hugerank", "rank": 1e400}""",
            """{"package": "org.hostile.hugerating", "rating": 1e999}""",
            """{"package": "org.hostile.bigint", "rank": 123456789012345678901234567890}""",
            """{"package": "org.hostile.ctl\u0001"}""",
            "{\"package\": \"org.hostile.raw\u0001\"}",
            """{"package": "org.hostile.nul", "title": "\u0000", "apk": "org.hostile.nul.apk"}""",
            """{"package": "org.hostile.weird", "title": "\u001b[2J\u202e", "installs": 5, "rank": -1, "apk": "org.hostile.weird.apk"}""",
            """{"package": "org.hostile.crawled", "crawledAt": "2020-13-45"}""",
            """{"package": "org.hostile.trunc", "apk": "x.apk" """,
            new string('[', 10_000) + new string(']', 10_000),
            $$"""{"package": "org.{{new string('a', 100_000)}}"}""",
        }.Select(Encoding.UTF8.GetBytes),
        [.. "{\"package\": \"org.hostile."u8, 0xFF, 0xFE, .. "\"}"u8],
    ];

    [Fact]
    public async Task hostile_snapshot_ids_are_refused_and_nothing_is_written_outside_the_data_and_export_folders()
    {
        await using var scenario = await Scenario.CreateAsync(reference, "hostile-ids");
        // Deep enough that every ../ of the ids still lands inside the watched tree.
        string sandbox = Path.Combine(scenario.Folder, "a", "b", "c", "d");
        var at = new CliEnvironment(Path.Combine(sandbox, "home"), scenario.Postgres);
        string corpus = reference.SmallSnapshot(Path.Combine(sandbox, "corpus", Reference.Snapshot), GoodApps);
        string[] written = [at.Home, Path.Combine(sandbox, "lake"), Path.Combine(sandbox, "arrow")];
        var before = FileTree.Of(reference.Root, written);

        foreach (var id in HostileIds)
        {
            var ingest = await Gaugenn.RunAsync(at, "ingest", "--snapshot", id, corpus);
            Assert.True(ingest.Code == 2, $"snapshot id {JsonValue.Create(id).ToJsonString()} was not refused as a usage error: {ingest}");
        }
        var good = await Gaugenn.RunAsync(at, "ingest", "--snapshot", Reference.Snapshot, corpus);
        Assert.True(good.Code == 0, good.ToString());
        foreach (var (format, folder) in new[] { ("parquet", written[1]), ("arrow", written[2]) })
        {
            var export = await Gaugenn.RunAsync(at, "export", format, folder);
            Assert.True(export.Code == 0, export.ToString());
            Assert.All(Directory.EnumerateDirectories(folder, "*=*", SearchOption.AllDirectories).Select(Path.GetFileName),
                partition => Assert.Contains(partition, new[] { $"snapshot={Reference.Snapshot}", $"snapshot={LakeExporter.EmptyPartition}" }));
        }

        Assert.Empty(FileTree.Of(reference.Root, written).ChangesSince(before));
        Assert.Equal([Reference.Snapshot], await EventStoreState.SnapshotIdsAsync(scenario.Postgres));
        output.WriteLine($"{HostileIds.Length} hostile ids refused with exit 2; nothing written outside the data and export folders");
    }

    [Fact]
    public async Task every_hostile_listing_line_becomes_a_failure_row_or_an_app_and_every_good_line_is_ingested_as_in_the_reference()
    {
        await using var scenario = await Scenario.CreateAsync(reference, "hostile-lines");
        string sandbox = Path.Combine(scenario.Folder, "a", "b");
        var at = new CliEnvironment(Path.Combine(sandbox, "home"), scenario.Postgres);
        string lake = Path.Combine(sandbox, "lake");
        string folder = reference.SmallSnapshot(Path.Combine(sandbox, "corpus", Reference.Snapshot), GoodApps);
        // The hostile lines spread among the good ones; a real APK where "../x" points, to see whether it is read.
        var good = File.ReadAllLines(Path.Combine(folder, "listing.jsonl")).Select(Encoding.UTF8.GetBytes).ToList();
        var listing = good.SelectMany((line, i) => i < HostileLines.Length ? new[] { HostileLines[i], line } : [line])
            .Concat(HostileLines.Skip(good.Count)).SelectMany(line => line.Append((byte)'\n')).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "listing.jsonl"), listing);
        string someDlApp = reference.Tables["fact_app_model"].Select(r => (string)JsonNode.Parse(r)!["package"]!).First();
        File.Copy(Path.Combine(reference.SnapshotFolder, someDlApp + ".apk"), Path.Combine(folder, "..", "x"));
        var before = FileTree.Of(reference.Root, at.Home, lake);

        var ingest = await Gaugenn.RunAsync(at, "ingest", "--snapshot", Reference.Snapshot, folder);
        Assert.True(ingest.Code == 0, ingest.ToString());
        foreach (var args in new[] { ["project"], new[] { "export", "parquet", lake } })
        {
            var exit = await Gaugenn.RunAsync(at, args);
            Assert.True(exit.Code == 0, exit.ToString());
        }

        Assert.Empty(FileTree.Of(reference.Root, at.Home, lake).ChangesSince(before));
        var goodPackages = reference.FirstPackages(GoodApps);
        foreach (var table in new[] { "fact_app_snapshot", "fact_app_model", "fact_framework_evidence" })
            Assert.Equal(
                reference.Tables[table].Where(r => goodPackages.Contains((string)JsonNode.Parse(r)!["package"]!)),
                WarehouseState.Rows(at.Home, table, "package", goodPackages));
        var apps = WarehouseState.Packages(at.Home, Reference.Snapshot);
        var hostileApps = apps.Keys.Where(p => !goodPackages.Contains(p)).ToList();
        long failures = WarehouseState.ListingFailures(at.Home, Reference.Snapshot);
        Assert.All(hostileApps, p => Assert.StartsWith("org.hostile.", p));
        Assert.False(apps.GetValueOrDefault("org.hostile.dotdot"), "the file ../x outside the snapshot folder was scanned");
        Assert.True(failures + hostileApps.Count == HostileLines.Length,
            $"{HostileLines.Length} hostile lines, but {failures} listing failure rows and {hostileApps.Count} apps ({string.Join(", ", hostileApps)})");
        Assert.Equal(GoodApps + hostileApps.Count, WarehouseState.AppsInLake(lake, Reference.Snapshot));
        output.WriteLine($"{HostileLines.Length} hostile lines: {failures} failure rows, {hostileApps.Count} apps ({string.Join(", ", hostileApps)}); " +
                         $"all {GoodApps} good lines ingested as in the reference; nothing written outside the data and export folders");
    }
}
