using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using System.Text.Json.Nodes;
using GaugeNN.Application.UseCases;
using GaugeNN.Events;
using GaugeNN.Tests.Shared;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// The lake is readable by others: a second, non-.NET Parquet reader (hyparquet, run by node) reads every dataset back
/// and every value equals the warehouse's; an incremental export rewrites only what changed and ends byte-identical to
/// a full one.
/// </summary>
public sealed class LakeReadBackTests
{
    [Fact]
    public async Task hyparquet_reads_the_whole_lake_back_with_every_value_equal_to_the_tables()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await AddMeasurementsAsync(w);
        string lake = Path.Combine(w.Root, "lake");
        var (_, export) = await new ExportLake(w.Gauge).RunAsync(lake, LakeFormat.Parquet, false, null, CancellationToken.None);

        var read = JsonNode.Parse(Node("read-lake.mjs", lake))!.AsObject();
        using var warehouse = DuckDbWarehouse.Open(w.Home.DuckDbFile, readOnly: true);
        Assert.Equal(WarehouseSchema.Tables.Select(t => t.Name).Order(), read.Select(p => p.Key).Order());
        foreach (var table in WarehouseSchema.Tables)
        {
            var expected = warehouse.Query($"SELECT CAST(to_json(t) AS VARCHAR) FROM {table.Name} t",
                r => ArrowJson.Canonical(JsonNode.Parse(r.GetString(0)))).Order().ToList();
            var actual = read[table.Name]!.AsArray().Select(ArrowJson.Canonical).Order().ToList();
            Assert.True(expected.SequenceEqual(actual), $"{table.Name}: hyparquet read {actual.Count} rows, the table has {expected.Count}; " +
                $"first difference: {expected.Except(actual).FirstOrDefault()} / {actual.Except(expected).FirstOrDefault()}");
            Assert.True(expected.Count > 0 || Directory.EnumerateFiles(Path.Combine(lake, table.Name), "*.parquet", SearchOption.AllDirectories).Any(),
                $"the empty table {table.Name} has no file");
            foreach (var file in export.Files.Where(f => f.Split(Path.DirectorySeparatorChar).Contains(table.Name)))
                Assert.Equal($"{WarehouseSchema.LakeVersion}", warehouse.Scalar<string>(
                    $"SELECT decode(value) FROM parquet_kv_metadata('{file}') WHERE decode(key) = 'gaugenn_lake_version'"));
        }
    }

    [Fact]
    public async Task an_incremental_export_rewrites_only_changed_partitions_and_equals_a_full_one_byte_for_byte()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        string incremental = Path.Combine(w.Root, "incremental"), full = Path.Combine(w.Root, "full");
        await new ExportLake(w.Gauge).RunAsync(incremental, LakeFormat.Parquet, true, null, CancellationToken.None);
        var before = Snapshot(incremental);

        await w.IngestAsync("2021-04");
        var (_, second) = await new ExportLake(w.Gauge).RunAsync(incremental, LakeFormat.Parquet, true, null, CancellationToken.None);
        await new ExportLake(w.Gauge).RunAsync(full, LakeFormat.Parquet, false, null, CancellationToken.None);

        Assert.True(second.Unchanged > 0, "nothing was left as it was");
        Assert.True(second.Written > 0);
        var after = Snapshot(incremental);
        foreach (var (file, bytes) in before.Where(b => b.Key.Contains("snapshot=2020-02") && b.Key.StartsWith("fact_app_model")))
            Assert.Equal(bytes, after[file]); // the old snapshot's partitions did not change
        Assert.Equal(Snapshot(full).Where(p => !p.Key.EndsWith(LakeExporter.ManifestName)), after.Where(p => !p.Key.EndsWith(LakeExporter.ManifestName)));
    }

    [Fact]
    public async Task a_rebuild_from_zero_exports_byte_identical_parquet()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.ProjectAsync();
        await w.IngestAsync("2021-04");
        string before = Path.Combine(w.Root, "before"), after = Path.Combine(w.Root, "after");
        await new ExportLake(w.Gauge).RunAsync(before, LakeFormat.Parquet, false, null, CancellationToken.None);
        await w.ProjectAsync(rebuild: true);
        await new ExportLake(w.Gauge).RunAsync(after, LakeFormat.Parquet, false, null, CancellationToken.None);

        Assert.Equal(Snapshot(before), Snapshot(after));
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order()
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>Measurement facts of every kind, so the measurement datasets are not empty.</summary>
    private static async Task AddMeasurementsAsync(Workspace w)
    {
        var log = new EventLog(w.Store);
        var at = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        string model = (await w.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).OfType<ModelDissected>().First())).Sha256;
        await log.AppendAsync("device:host", new DeviceRegistered("host", null, null, null, null, null, "x86_64", null, 24000, 2, 2, 0, 3000,
            "test cpu", "host", null, "the machine itself", false, at), CancellationToken.None);
        await log.StartStreamOnceAsync("run:r1", [
            new MeasurementRecorded("r1", "p1", model, "host", "onnxruntime", "1.31.1", "cpu", null, null, 2, 1, 5, 10.5, 2.25, 2.5, 1.75,
                0.125, 1.5, 2.0, null, 1.75, 1.875, null, 2.0, 30.5, 0.5, 600, 50, 100, 40, 41.5, at, at.AddSeconds(1), "test", "1", "measured",
                null, null, new Dictionary<string, string> { ["governor"] = "performance" }, at),
            new OperatorProfileRecorded("r1", model, "host", [new OperatorTiming(0, "Conv", "conv1", 0, 0.5, 0.25, 60, 60, 12, 1),
                new OperatorTiming(1, "Relu", "relu1", 0.25, null, 0.125, 40, 100, null, 1)], at),
        ], CancellationToken.None);
        await log.AppendAsync("run:r2", new BenchmarkFailed("r2", "p1", model, "host", "onnxruntime", "cpu", 2, "Load model failed", 1, at), CancellationToken.None);
    }

    /// <summary>Runs a script of tests/lake-reader with node (installing its one npm package first when needed).</summary>
    private static string Node(string script, params string[] args)
    {
        string folder = Path.Combine(RepositoryRoot.Path, "tests", "lake-reader");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "hyparquet")))
            Run("npm", folder, "ci", "--no-audit", "--no-fund");
        return Run("node", folder, [script, .. args]);
    }

    private static string Run(string file, string folder, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }
}
