using GaugeNN.Application;
using GaugeNN.Application.UseCases;
using GaugeNN.Ingest;

namespace GaugeNN.Cli.Commands;

public sealed class IngestCommand : ICommand
{
    public string Name => "ingest";
    public string Usage => "ingest --snapshot ID DIR [--captured-at YYYY-MM-DD] [--label TEXT] [--shard i/N] [--parallel N] [--max-entry-mb N] [--max-app-mb N] [--max-ratio N] [--max-entries N] [--max-depth N]";
    public string Summary => "read a snapshot folder (*.apk, bundles, OBBs, listing.jsonl) and append its facts (idempotent)";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("snapshot", "label", "captured-at", "shard", "parallel", "max-entry-mb", "max-app-mb", "max-ratio", "max-entries", "max-depth");
        string snapshot = args.Option("snapshot") ?? throw new UsageException("--snapshot ID is required");
        if (args.Positionals.Count != 1) throw new UsageException("exactly one snapshot folder is required");
        string directory = args.Positionals[0];
        if (!Directory.Exists(directory)) throw new UsageException($"'{directory}' is not a folder");
        DateOnly? capturedAt = args.Option("captured-at") is { } date
            ? DateOnly.TryParseExact(date, "yyyy-MM-dd", out var d) ? d : throw new UsageException($"--captured-at must be YYYY-MM-DD, not '{date}'")
            : null;
        Shard? shard = null;
        if (args.Option("shard") is { } text)
        {
            try
            {
                shard = Shard.Parse(text);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--shard: {e.Message}");
            }
        }
        try
        {
            SnapshotIds.CaptureDate(snapshot, capturedAt);
        }
        catch (InvalidSnapshotException e)
        {
            throw new UsageException(e.Message);
        }
        using var gauge = Services.Open(Services.Home());
        var report = await new IngestSnapshot(gauge).RunAsync(
            new IngestRequest(snapshot, directory, args.Option("label"), capturedAt, OptionsFrom(args), shard), null, ct);
        foreach (var failure in report.FirstFailures) Console.Error.WriteLine($"  scan failure: {failure}");
        Console.WriteLine(Describe(report));
        return ExitCodes.Ok;
    }

    public static string Describe(IngestReport r) =>
        $"snapshot {r.Snapshot}{(r.Shard is null ? "" : $" shard {r.Shard}")}: {r.AppsRead} apps read, {r.AppsChanged} with new facts, " +
        $"{r.AppsUnchanged} unchanged, {r.EventsAppended} events appended, {r.ScanFailures} scan failures" +
        (r.ScanFailures > IngestSnapshot.FailuresShown ? $" (first {IngestSnapshot.FailuresShown} shown; all are in the fact_scan_failure table)" : "") +
        $"\n{ReanalyseCommand.Describe(r.Analysis)}";

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
}
