using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Output;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;
using GaugeNN.Measure.Runners.Device;
using GaugeNN.Measure.Devices;
using GaugeNN.Measure.Runners.Host;
using GaugeNN.Warehouse.Read;

namespace GaugeNN.Cli.Commands;

/// <summary>What <c>demo</c> reports: the ingests, the snapshots' summary, the host bench, and where the API serves.</summary>
public sealed record DemoReport(string DataFolder, IReadOnlyList<IngestReport> Ingests, IReadOnlyList<SnapshotSummary> Snapshots,
    BenchReport Bench, string? ApiUrl);

/// <summary>
/// <c>gaugenn demo</c>: the bundled sample snapshots ingested, their ONNX and TFLite models benched on the host (few runs), a
/// summary and a latency table printed, then the API served. The port is taken before any work, so a busy one is said
/// at once. Every demo resumes the same bench plan, so a second demo appends nothing new but the retries of failed runs.
/// </summary>
public static class DemoVerb
{
    /// <summary>Few runs: the demo shows the bench, it does not measure carefully. ONNX models on ONNX Runtime, TFLite models on LiteRT.js.</summary>
    private static readonly Events.BenchmarkConfig[] BenchConfigs =
        [HostOptions.Config(warmupRuns: 2, timedRuns: 20), LiteRtOptions.Config(warmupRuns: 2, timedRuns: 20)];

    private static readonly string PlanId = "demo-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(";",
        BenchConfigs.Select(c => $"{c.Runtime}/{c.Backend}/{c.Threads}/{c.WarmupRuns}/{c.TimedRuns}")))))[..8];

    public static Command Build()
    {
        var port = Options.Port(ServeVerb.DefaultPort, "the loopback port to serve GraphQL on after the summary");
        var noServe = Options.Flag("--no-serve", "stop after the summary instead of serving the API");
        return Verb.Create("demo",
            "Ingest the bundled sample snapshots, bench their ONNX and TFLite models on this machine, print a summary and a latency table, then serve the API until Ctrl-C.",
            [port, noServe],
            async run =>
            {
                string samples = SamplesDirectory();
                var home = Services.Home();
                run.Say($"data folder: {home.Root}");
                using var gauge = Services.Open(home);
                // The host starts first: a busy port is said before any work, and the host follows the ingests live.
                WarehouseHost? host = run.Get(noServe) ? null : await ServeVerb.StartAsync(gauge, new WarehouseHostOptions(run.Get(port)), run.Stop);
                try
                {
                    var ingests = new List<IngestReport>();
                    foreach (var snapshot in Directory.EnumerateDirectories(samples).Order(StringComparer.Ordinal))
                    {
                        var ingest = await IngestVerb.RunAsync(run, gauge, new IngestRequest(Path.GetFileName(snapshot), snapshot));
                        run.Say(IngestVerb.Describe(ingest));
                        ingests.Add(ingest);
                    }
                    var bench = await BenchVerb.RunAsync(run, gauge, new BenchRequest([], [HostDevice.Id], BenchConfigs), PlanId, DeviceToolsFolder.FromEnvironment());
                    IReadOnlyList<SnapshotSummary> summary;
                    if (host is null)
                    {
                        var caughtUp = await ProjectVerb.CatchUpAsync(run, gauge, rebuild: false);
                        run.Say(ProjectVerb.Describe(new ProjectReport(home.DuckDbFile, caughtUp)));
                        using var readers = new ReaderPool(home.DuckDbFile);
                        using var lease = readers.Rent();
                        summary = new WarehouseReader(lease).Snapshots();
                    }
                    else
                    {
                        await host.CaughtUpAsync(run.Stop);
                        run.Say($"warehouse {home.DuckDbFile}: caught up by the host, checkpoint {host.Projection.State.Checkpoint}");
                        using var lease = host.Readers.Rent();
                        summary = new WarehouseReader(lease).Snapshots();
                    }
                    run.Report(new DemoReport(home.Root, ingests, summary, bench, host?.Url), to =>
                    {
                        WriteSummary(summary, to);
                        BenchVerb.WriteTable(bench, to);
                    });
                    if (host is not null) await ServeVerb.ServeUntilStoppedAsync(run, host);
                    return ExitCodes.Ok;
                }
                finally
                {
                    if (host is not null) await host.DisposeAsync();
                }
            });
    }

    /// <summary>The launcher says where the repository is; run directly, the working folder is tried.</summary>
    private static string SamplesDirectory()
    {
        string root = Environment.GetEnvironmentVariable("GAUGENN_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory();
        string samples = Path.Combine(root, "samples", "snapshots");
        return Directory.Exists(samples)
            ? samples
            : throw new EnvironmentException($"the sample snapshots are not at {samples}: run the demo through the repository's ./gaugenn launcher (or set GAUGENN_ROOT to the repository)");
    }

    /// <summary>Per snapshot: apps, apps with DL, model files, encrypted model files, unique models, model files per format.</summary>
    private static void WriteSummary(IReadOnlyList<SnapshotSummary> snapshots, TextWriter to)
    {
        var formats = snapshots.SelectMany(s => s.Formats.Select(f => f.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new TextTable([("snapshot", false), ("apps", true), ("dl apps", true), ("model files", true), ("encrypted", true), ("unique", true),
            .. formats.Select(f => (f, true))]);
        foreach (var s in snapshots)
            table.Add([s.Id, $"{s.Apps}", $"{s.DlApps}", $"{s.ModelFiles}", $"{s.EncryptedModelFiles}", $"{s.UniqueModels}",
                .. formats.Select(f => $"{s.Formats.FirstOrDefault(x => x.Name == f)?.ModelFiles ?? 0}")]);
        to.WriteLine();
        table.Write(to);
        to.WriteLine("(model files per format: the last columns; encrypted model files are counted apart)\n");
    }
}
