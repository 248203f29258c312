using System.CommandLine;
using System.Globalization;
using GaugeNN.Application;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;
using GaugeNN.Ingest;

namespace GaugeNN.Cli.Commands;

/// <summary><c>gaugenn ingest</c>: a snapshot folder's facts into the event store, then its new models dissected.</summary>
public static class IngestVerb
{
    private const long MiB = 1 << 20;
    private static readonly IngestOptions Defaults = new();
    private static readonly string[] AppFileExtensions = [".apk", ".apks", ".xapk", ".apkm"];

    public static Command Build()
    {
        var snapshot = Options.Checked("--snapshot", "the snapshot's id: its capture date (YYYY-MM or YYYY-MM-DD) or any id with --captured-at",
            "ID", id =>
            {
                SnapshotIds.Validate(id);
                return id;
            }, required: true);
        var folder = Options.Folder("DIR", "the snapshot folder: *.apk, .apks/.xapk/.apkm bundles, OBBs, optional listing.jsonl");
        var capturedAt = Options.Checked<DateOnly?>("--captured-at", "the capture date when the id is not a date", "YYYY-MM-DD",
            text => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new FormatException($"'{text}' is not a date YYYY-MM-DD"));
        var label = Options.Checked("--label", "a label for the snapshot (default: its id)", "TEXT", text => text);
        var shard = Options.Checked<Shard?>("--shard", "ingest only the apps of shard i of N (package hash); N machines together append what one would",
            "i/N", Shard.Parse);
        var parallel = Options.Number("--parallel", "apps scanned at once", Defaults.Parallelism, 1, 256);
        var maxEntry = Options.Number("--max-entry-mb", "largest inflated zip entry read, in MiB (zip-bomb cap)", (int)(Defaults.MaxEntryBytes / MiB), 1, 1 << 20);
        var maxApp = Options.Number("--max-app-mb", "most inflated bytes read from one app's files altogether, in MiB", (int)(Defaults.MaxTotalInflatedBytes / MiB), 1, 1 << 24);
        var maxRatio = Options.Number("--max-ratio", "largest inflated/compressed ratio of a zip entry", (int)Defaults.MaxCompressionRatio, 1, 1_000_000);
        var maxEntries = Options.Number("--max-entries", "most entries in one archive", Defaults.MaxEntries, 1, 100_000_000);
        var maxDepth = Options.Number("--max-depth", "how many archives deep an entry may sit (a split APK in a bundle is at depth 1)", Defaults.MaxNestingDepth, 1, 16);

        return Verb.Create("ingest", "Read a snapshot folder and append its facts to the event store (idempotent: the same bytes append nothing), then dissect its new models.",
            [snapshot, folder, capturedAt, label, shard, parallel, maxEntry, maxApp, maxRatio, maxEntries, maxDepth],
            async run =>
            {
                var request = new IngestRequest(run.Get(snapshot), run.Get(folder), run.Get(label), run.Get(capturedAt), Defaults with
                {
                    Parallelism = run.Get(parallel),
                    MaxEntryBytes = run.Get(maxEntry) * MiB,
                    MaxTotalInflatedBytes = run.Get(maxApp) * MiB,
                    MaxCompressionRatio = run.Get(maxRatio),
                    MaxEntries = run.Get(maxEntries),
                    MaxNestingDepth = run.Get(maxDepth),
                }, run.Get(shard));
                SnapshotIds.CaptureDate(request.Snapshot, request.CapturedAt); // an id that is no date needs --captured-at: said before any work
                using var gauge = Services.Open(Services.Home());
                var report = await RunAsync(run, gauge, request);
                run.Report(report, to =>
                {
                    foreach (var failure in report.FirstFailures) to.WriteLine($"  scan failure: {failure}");
                    to.WriteLine(Describe(report));
                });
                return ExitCodes.Ok;
            });
    }

    /// <summary>Ingests with progress; stopped, it says how many apps the event store holds and how to finish.</summary>
    public static async Task<IngestReport> RunAsync(Invocation run, Gauge gauge, IngestRequest request)
    {
        var ingest = new IngestSnapshot(gauge);
        var display = run.Progress;
        display.Expect("ingest", ExpectedApps(request.Directory, request.Shard));
        return await run.StoppableAsync(() => display.RunAsync(() =>
        {
            display.Report(new Progress("ingest", 0, null, "apps"));
            return ingest.RunAsync(request, display, run.Stop);
        }), async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            int recorded = await ingest.AppsRecordedAsync(request.Snapshot, timeout.Token);
            return $"{display.Done("ingest")} apps were read in this run; the event store holds {recorded} apps of snapshot {request.Snapshot} " +
                   "(apps are committed in batches as they are read, never half). Run the same command again to finish: what is recorded appends nothing.";
        });
    }

    /// <summary>
    /// About how many apps a folder holds, for the time left (the scanner streams apps and cannot say): its listing's
    /// lines or its app files, whichever are more; a shard's share of them.
    /// </summary>
    private static long ExpectedApps(string directory, Shard? shard)
    {
        long files = Directory.EnumerateFiles(directory).Count(f => AppFileExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));
        string listing = Path.Combine(directory, "listing.jsonl");
        long listed = File.Exists(listing) ? File.ReadLines(listing).Count(l => l.Length > 0) : 0;
        return Math.Max(files, listed) / (shard?.Count ?? 1);
    }

    public static string Describe(IngestReport r) =>
        $"snapshot {r.Snapshot}{(r.Shard is null ? "" : $" shard {r.Shard}")}: {r.AppsRead} apps read, {r.AppsChanged} with new facts, " +
        $"{r.AppsUnchanged} unchanged, {r.EventsAppended} events appended, {r.ScanFailures} scan failures" +
        (r.ScanFailures > IngestSnapshot.FailuresShown ? $" (first {IngestSnapshot.FailuresShown} shown; all are in the fact_scan_failure table)" : "") +
        $"\n{ReanalyseVerb.Describe(r.Analysis)}";
}
