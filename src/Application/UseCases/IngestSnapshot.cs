using GaugeNN.Events;
using GaugeNN.Ingest;
using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Application.UseCases;

/// <summary>What to ingest: a snapshot folder under an id that is (or comes with) its capture date.</summary>
public sealed record IngestRequest(
    string Snapshot, string Directory, string? Label = null, DateOnly? CapturedAt = null, IngestOptions? Options = null,
    Shard? Shard = null);

public sealed record IngestReport(
    string Snapshot, string? Shard, int AppsRead, int AppsChanged, int AppsUnchanged, int EventsAppended,
    int ScanFailures, IReadOnlyList<string> FirstFailures, AnalysisReport Analysis);

/// <summary>
/// Reads a snapshot folder and appends its facts (idempotent: the same bytes append nothing), keeping model bytes in
/// the blob store, then dissects every new model. A bad app or a bad listing line is a failure fact; the rest goes on.
/// </summary>
public sealed class IngestSnapshot(Gauge gauge)
{
    public const int FailuresShown = 10;

    public async Task<IngestReport> RunAsync(IngestRequest request, IProgress<Progress>? progress, CancellationToken ct)
    {
        var captured = SnapshotIds.CaptureDate(request.Snapshot, request.CapturedAt);
        if (!System.IO.Directory.Exists(request.Directory))
            throw new DirectoryNotFoundException($"snapshot folder '{request.Directory}' does not exist");
        var log = new EventLog(gauge.Store);
        if (await log.SnapshotAsync(request.Snapshot, ct) is { CapturedAt: { } recorded } && request.CapturedAt is { } asked && recorded != asked)
            throw new InvalidSnapshotException($"snapshot {request.Snapshot} was captured {recorded:yyyy-MM-dd}, not {asked:yyyy-MM-dd}");
        string from = request.CapturedAt is null ? "id" : "given";
        await log.OpenSnapshotAsync(new SnapshotOpened(request.Snapshot, request.Label ?? request.Snapshot, captured, from,
            Path.GetFullPath(request.Directory), gauge.Time.GetUtcNow()), ct);

        var scanner = new SnapshotScanner(request.Options ?? new IngestOptions(), gauge.Time, gauge.Blobs);
        var failures = new List<string>();
        int apps = 0, failureCount = 0;
        async IAsyncEnumerable<AppFacts> Facts()
        {
            await foreach (var scan in scanner.ScanAsync(request.Snapshot, request.Directory, ct, request.Shard is { } shard ? shard.Takes : null))
            {
                apps++;
                foreach (var failure in scan.Events.OfType<AppScanFailed>())
                    if (++failureCount <= FailuresShown)
                        failures.Add($"{(failure.Package.Length > 0 ? failure.Package : "(listing)")} {failure.File}: {failure.Reason}");
                progress?.Report(new Progress("ingest", apps, null, "apps"));
                yield return new AppFacts(scan.Package, scan.Snapshot, scan.ScanKey, scan.Events.Cast<IGaugeEvent>().ToList());
            }
        }
        var appended = await log.AppendAsync(Facts(), ct);
        var analysis = await new ReanalyseModels(gauge).RunAsync(progress, ct);
        return new IngestReport(request.Snapshot, request.Shard?.ToString(), apps, appended.AppsChanged, appended.AppsUnchanged,
            appended.Events, failureCount, failures, analysis);
    }

    /// <summary>
    /// How many apps of a snapshot the event store holds (by their ingest ledger entries): what an interrupted ingest
    /// committed, since apps are appended in transactions as they are read.
    /// </summary>
    public async Task<int> AppsRecordedAsync(string snapshot, CancellationToken ct)
    {
        await using var session = gauge.Store.QuerySession();
        // "<snapshot>/<package>"; the entry of the listing file's own errors is "<snapshot>/" and is no app.
        string prefix = IngestLedgerEntry.IdOf(snapshot, "");
        return await session.Query<IngestLedgerEntry>().CountAsync(e => e.Id.StartsWith(prefix) && e.Id != prefix, ct);
    }
}
