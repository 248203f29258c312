using GaugeNN.Events;
using GaugeNN.Ingest;
using GaugeNN.Warehouse;
using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Cli.Commands;

public sealed class IngestCommand : ICommand
{
    public string Name => "ingest";
    public string Usage => "ingest --snapshot ID DIR [--label TEXT] [--parallel N]";
    public string Summary => "read a snapshot folder (*.apk, bundles, OBBs, listing.jsonl) and append its facts (idempotent)";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("snapshot", "label", "parallel");
        string snapshot = args.Option("snapshot") ?? throw new UsageException("--snapshot ID is required");
        if (args.Positionals.Count != 1) throw new UsageException("exactly one snapshot folder is required");
        string directory = args.Positionals[0];
        if (!Directory.Exists(directory)) throw new UsageException($"'{directory}' is not a folder");
        var home = Services.Home();
        using var store = Services.EventStore(home);
        Console.WriteLine(await IngestAsync(home, store, snapshot, directory, args.Option("label"),
            args.IntOption("parallel", Environment.ProcessorCount), ct));
        Console.WriteLine(await ReanalyseCommand.AnalyseAsync(home, store, ct));
        return ExitCodes.Ok;
    }

    public static async Task<string> IngestAsync(GaugeHome home, IDocumentStore store, string snapshot, string directory,
        string? label, int parallelism, CancellationToken ct)
    {
        var log = new EventLog(store);
        var time = TimeProvider.System;
        await log.OpenSnapshotAsync(new SnapshotOpened(snapshot, label ?? snapshot, null, Path.GetFullPath(directory), time.GetUtcNow()), ct);
        var scanner = new SnapshotScanner(new IngestOptions { Parallelism = parallelism, ModelStoreDirectory = home.ModelBlobs }, time);
        const int FailuresShown = 10;
        int apps = 0, failures = 0;
        async IAsyncEnumerable<AppFacts> Facts()
        {
            await foreach (var scan in scanner.ScanAsync(snapshot, directory, ct))
            {
                apps++;
                foreach (var failure in scan.Events.OfType<AppScanFailed>())
                    if (++failures <= FailuresShown)
                        Console.Error.WriteLine($"  scan failure: {failure.Package} {failure.File}: {failure.Reason}");
                yield return new AppFacts(scan.Package, scan.Snapshot, scan.ScanKey, scan.Events);
            }
        }
        var result = await log.AppendAsync(Facts(), ct);
        return $"snapshot {snapshot}: {apps} apps read, {result.AppsChanged} with new facts, {result.AppsUnchanged} unchanged, " +
               $"{result.Events} events appended, {failures} scan failures" +
               (failures > FailuresShown ? $" (first {FailuresShown} shown; all are in the fact_scan_failure table)" : "");
    }
}
