using GaugeNN.Events;
using GaugeNN.Ingest;
using GaugeNN.Warehouse;
using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Cli.Commands;

public sealed class IngestCommand : ICommand
{
    public string Name => "ingest";
    public string Usage => "ingest --snapshot ID DIR [--label TEXT] [--parallel N] [--max-entry-mb N] [--max-app-mb N] [--max-ratio N] [--max-entries N] [--max-depth N]";
    public string Summary => "read a snapshot folder (*.apk, bundles, OBBs, listing.jsonl) and append its facts (idempotent)";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("snapshot", "label", "parallel", "max-entry-mb", "max-app-mb", "max-ratio", "max-entries", "max-depth");
        string snapshot = args.Option("snapshot") ?? throw new UsageException("--snapshot ID is required");
        if (args.Positionals.Count != 1) throw new UsageException("exactly one snapshot folder is required");
        string directory = args.Positionals[0];
        if (!Directory.Exists(directory)) throw new UsageException($"'{directory}' is not a folder");
        var home = Services.Home();
        using var store = Services.EventStore(home);
        Console.WriteLine(await IngestAsync(home, store, snapshot, directory, args.Option("label"), OptionsFrom(args), ct));
        Console.WriteLine(await ReanalyseCommand.AnalyseAsync(home, store, ct));
        return ExitCodes.Ok;
    }

    /// <summary>The scan's caps from the command line: sizes in MiB, anything not given keeps its default.</summary>
    public static IngestOptions OptionsFrom(Arguments args)
    {
        const long MiB = 1 << 20;
        var defaults = new IngestOptions();
        return defaults with
        {
            Parallelism = args.IntOption("parallel", defaults.Parallelism),
            MaxEntryBytes = args.IntOption("max-entry-mb", (int)(defaults.MaxEntryBytes / MiB)) * MiB,
            MaxTotalInflatedBytes = args.IntOption("max-app-mb", (int)(defaults.MaxTotalInflatedBytes / MiB)) * MiB,
            MaxCompressionRatio = args.IntOption("max-ratio", (int)defaults.MaxCompressionRatio),
            MaxEntries = args.IntOption("max-entries", defaults.MaxEntries),
            MaxNestingDepth = args.IntOption("max-depth", defaults.MaxNestingDepth),
        };
    }

    /// <summary>Scans the folder with <paramref name="options"/> (its caps), keeping model bytes in the data folder.</summary>
    public static async Task<string> IngestAsync(GaugeHome home, IDocumentStore store, string snapshot, string directory,
        string? label, IngestOptions options, CancellationToken ct)
    {
        var log = new EventLog(store);
        var time = TimeProvider.System;
        await log.OpenSnapshotAsync(new SnapshotOpened(snapshot, label ?? snapshot, null, Path.GetFullPath(directory), time.GetUtcNow()), ct);
        var scanner = new SnapshotScanner(options with { ModelStoreDirectory = home.ModelBlobs }, time);
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
