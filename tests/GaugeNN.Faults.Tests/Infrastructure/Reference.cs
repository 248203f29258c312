using System.Diagnostics;
using System.Text.Json.Nodes;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>Every fault scenario runs one after the other against the same clean reference run.</summary>
[CollectionDefinition(Name)]
public sealed class FaultSuite : ICollectionFixture<Reference>
{
    public const string Name = "faults";
}

/// <summary>
/// The clean reference run every scenario is compared with: a 2,000-app snapshot generated once per test run by
/// tools/synth-corpus.py into the suite's temp folder, then ingested, projected and exported by the real CLI into a
/// database of its own. It keeps what a converged run must reproduce: the events per type, every derived table and
/// the bytes of every Parquet file.
/// </summary>
public sealed class Reference : IAsyncLifetime
{
    public const string Snapshot = "2020-02";
    public const int Apps = 2000;
    private const int Seed = 7;

    public string Root { get; } = Directory.CreateTempSubdirectory("gaugenn-faults-").FullName;
    public string Corpus => Path.Combine(Root, "synth");
    public string SnapshotFolder => Path.Combine(Corpus, Snapshot);
    public string Postgres { get; private set; } = "";
    public CliEnvironment Environment => new(Path.Combine(Root, "reference", "home"), Postgres);
    public string Lake => Path.Combine(Root, "reference", "lake");

    /// <summary>How long the clean ingest took: random kill points are drawn within it.</summary>
    public TimeSpan IngestTime { get; private set; }

    public string EventsPerType { get; private set; } = "";
    public Dictionary<string, List<string>> Tables { get; private set; } = [];
    public SortedDictionary<string, string> LakeDigests { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Generate();
        Postgres = await TestPostgres.CreateDatabaseAsync("reference");
        var ingest = await Gaugenn.RunAsync(Environment, "ingest", "--snapshot", Snapshot, SnapshotFolder);
        Assert.True(ingest.Code == 0, ingest.ToString());
        IngestTime = ingest.Took;
        var project = await Gaugenn.RunAsync(Environment, "project");
        Assert.True(project.Code == 0, project.ToString());
        var export = await Gaugenn.RunAsync(Environment, "export", "parquet", Lake);
        Assert.True(export.Code == 0, export.ToString());

        EventsPerType = await EventStoreState.EventsPerTypeAsync(Postgres);
        Tables = WarehouseState.DumpTables(Environment.Home);
        LakeDigests = WarehouseState.LakeDigests(Lake);
        Assert.Equal(0, await EventStoreState.DuplicateGroupsAsync(Postgres));
        Assert.Equal(Apps, WarehouseState.Apps(Environment.Home, Snapshot));
        Assert.Equal(Apps, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(Corpus, "expected.json")))!["snapshots"]![Snapshot]!["appsListed"]!);
    }

    /// <summary>
    /// Asserts that a data folder's store, warehouse and lake are exactly the reference's: the same events per type
    /// and no fact twice in PostgreSQL, then (after <c>project</c> and <c>export</c> exit 0) the same rows in every
    /// derived table and byte-identical Parquet. <paramref name="postgres"/> is the store's server when the data folder
    /// uses its private cluster.
    /// </summary>
    public async Task AssertConvergedAsync(CliEnvironment at, string what, string? postgres = null)
    {
        await AssertSameFactsAsync(postgres ?? at.Postgres!, what);
        var project = await Gaugenn.RunAsync(at, "project");
        Assert.True(project.Code == 0, $"{what}: {project}");
        var tables = WarehouseState.DumpTables(at.Home);
        foreach (var (table, rows) in Tables)
            Assert.True(rows.SequenceEqual(tables[table]), $"{what}: table {table} differs from the reference ({tables[table].Count} rows, reference {rows.Count})");
        string lake = at.Home + "-lake";
        var export = await Gaugenn.RunAsync(at, "export", "parquet", lake);
        Assert.True(export.Code == 0, $"{what}: {export}");
        var digests = WarehouseState.LakeDigests(lake);
        Assert.True(LakeDigests.SequenceEqual(digests),
            $"{what}: Parquet differs from the reference: {string.Join(", ", LakeDigests.Keys.Union(digests.Keys).Where(k => LakeDigests.GetValueOrDefault(k) != digests.GetValueOrDefault(k)))}");
    }

    /// <summary>The store holds the reference's facts: the same events per type, none appended twice.</summary>
    public async Task AssertSameFactsAsync(string postgres, string what)
    {
        Assert.True(EventsPerType == await EventStoreState.EventsPerTypeAsync(postgres), $"{what}: events per type differ from the reference");
        Assert.True(await EventStoreState.DuplicateGroupsAsync(postgres) == 0, $"{what}: facts appended twice");
    }

    /// <summary>
    /// A snapshot folder of the reference's first <paramref name="apps"/> listed apps (listing lines and APKs), with
    /// <paramref name="extraLines"/> appended to its listing.
    /// </summary>
    public string SmallSnapshot(string folder, int apps, params string[] extraLines)
    {
        Directory.CreateDirectory(folder);
        var lines = File.ReadLines(Path.Combine(SnapshotFolder, "listing.jsonl")).Take(apps).ToList();
        foreach (var line in lines)
        {
            string apk = (string)JsonNode.Parse(line)!["apk"]!;
            File.Copy(Path.Combine(SnapshotFolder, apk), Path.Combine(folder, apk));
        }
        File.WriteAllLines(Path.Combine(folder, "listing.jsonl"), lines.Concat(extraLines));
        return folder;
    }

    /// <summary>The packages of the reference's first <paramref name="apps"/> listing lines.</summary>
    public IReadOnlyList<string> FirstPackages(int apps) =>
        File.ReadLines(Path.Combine(SnapshotFolder, "listing.jsonl")).Take(apps).Select(l => (string)JsonNode.Parse(l)!["package"]!).ToList();

    private void Generate()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepositoryRoot.Path, "tools", "synth-corpus.py"), Corpus, "--apps", $"{Apps}",
                     "--snapshots", "1", "--seed", $"{Seed}", "--model-pool", "small", "--models", RepositoryRoot.Fixture("models") })
            start.ArgumentList.Add(a);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        var stdout = python.StandardOutput.ReadToEndAsync();
        string stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"synth-corpus.py failed: {stdout.Result}{stderr}");
    }

    public async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(Postgres);
        Directory.Delete(Root, recursive: true);
    }
}
