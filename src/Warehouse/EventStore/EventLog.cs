using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GaugeNN.Events;
using Marten;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>One app's facts from one snapshot, as the ingest produced them.</summary>
public sealed record AppFacts(string Package, string Snapshot, string ScanKey, IReadOnlyList<IGaugeEvent> Events);

/// <summary>
/// Appends facts idempotently: the same listing line or the same scanned bytes in the same snapshot append nothing
/// the second time, however many writers run at once. Deciding "already recorded" and appending are one
/// transaction over versioned ledgers: a writer that loses a race to another rolls back and decides again.
/// </summary>
public sealed class EventLog(IDocumentStore store)
{
    private const int BatchSize = 64;

    /// <summary>Appends <see cref="SnapshotOpened"/> unless the snapshot stream already exists.</summary>
    public async Task<bool> OpenSnapshotAsync(SnapshotOpened opened, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            if (await session.Events.FetchStreamStateAsync(opened.Snapshot, ct) is not null) return false;
            session.Events.StartStream(opened.Snapshot, opened);
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (WriteConflicts.IsConflict(e))
        {
            return false; // another writer opened it at the same moment
        }
    }

    /// <summary>The snapshot's opening event, if it was opened.</summary>
    public async Task<SnapshotOpened?> SnapshotAsync(string snapshot, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(snapshot, token: ct);
        return events.Select(e => e.Data).OfType<SnapshotOpened>().FirstOrDefault();
    }

    /// <summary>Appends every app's new facts; returns how many events were appended.</summary>
    public async Task<AppendResult> AppendAsync(IAsyncEnumerable<AppFacts> apps, CancellationToken ct)
    {
        var total = new AppendResult(0, 0, 0);
        var batch = new List<AppFacts>(BatchSize);
        await foreach (var app in apps.WithCancellation(ct))
        {
            batch.Add(app);
            if (batch.Count == BatchSize)
            {
                total += await WriteConflicts.RetryAsync(() => AppendBatchAsync(batch, ct), ct);
                batch.Clear();
            }
        }
        if (batch.Count > 0) total += await WriteConflicts.RetryAsync(() => AppendBatchAsync(batch, ct), ct);
        return total;
    }

    private async Task<AppendResult> AppendBatchAsync(List<AppFacts> batch, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var ids = batch.Select(a => IngestLedgerEntry.IdOf(a.Snapshot, a.Package)).Distinct().ToArray();
        // Loaded in this session, so their versions are checked when the batch commits.
        var ledger = (await session.LoadManyAsync<IngestLedgerEntry>(ct, ids)).ToDictionary(e => e.Id);
        var stored = ledger.Keys.ToHashSet();
        var changed = new HashSet<string>();
        int appended = 0, appsChanged = 0, appsUnchanged = 0;
        var newModels = new Dictionary<string, string>();
        foreach (var app in batch)
        {
            string id = IngestLedgerEntry.IdOf(app.Snapshot, app.Package);
            if (!ledger.TryGetValue(id, out var entry)) ledger[id] = entry = new IngestLedgerEntry { Id = id };
            var fresh = new List<IGaugeEvent>();
            foreach (var e in app.Events.OfType<AppListed>())
            {
                string digest = ListingDigest(e);
                if (entry.ListingDigest == digest) continue;
                entry.ListingDigest = digest;
                fresh.Add(e);
            }
            if (!entry.ScanKeys.Contains(app.ScanKey))
            {
                entry.ScanKeys.Add(app.ScanKey);
                fresh.AddRange(app.Events.Where(e => e is not AppListed));
            }
            if (fresh.Count == 0)
            {
                appsUnchanged++;
                continue;
            }
            appsChanged++;
            appended += fresh.Count;
            foreach (var model in fresh.OfType<ModelFileFound>().Where(m => !m.Encrypted))
                newModels.TryAdd(model.Sha256, model.Format);
            session.Events.Append(StreamKeyOf(app), fresh.Cast<object>().ToArray());
            changed.Add(id);
        }
        foreach (var id in changed)
        {
            // A new entry is inserted (a concurrent insert of the same id fails the batch), a known one updated
            // against the version read above.
            if (stored.Contains(id)) session.Update(ledger[id]);
            else session.Insert(ledger[id]);
        }
        if (newModels.Count > 0)
        {
            var known = (await session.LoadManyAsync<ModelLedgerEntry>(ct, newModels.Keys.ToArray())).Select(m => m.Id).ToHashSet();
            foreach (var (sha256, format) in newModels.Where(m => !known.Contains(m.Key)))
                session.Insert(new ModelLedgerEntry { Id = sha256, Format = format });
        }
        if (appsChanged > 0) await session.SaveChangesAsync(ct);
        return new AppendResult(appended, appsChanged, appsUnchanged);
    }

    /// <summary>Models whose latest dissection is older than <paramref name="analyserVersion"/> (or missing).</summary>
    public async Task<IReadOnlyList<ModelLedgerEntry>> ModelsToAnalyseAsync(int analyserVersion, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<ModelLedgerEntry>().Where(m => m.AnalyserVersion < analyserVersion).OrderBy(m => m.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Appends a dissection result to the model's stream and records its analyser version, atomically. Returns false,
    /// appending nothing, when another writer recorded this (or a newer) version first.
    /// </summary>
    public async Task<bool> RecordAnalysisAsync(string sha256, IGaugeEvent outcome, int analyserVersion, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            var entry = await session.LoadAsync<ModelLedgerEntry>(sha256, ct);
            if (entry is null || entry.AnalyserVersion >= analyserVersion) return false;
            session.Events.Append(sha256, outcome);
            entry.AnalyserVersion = analyserVersion;
            session.Update(entry);
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (WriteConflicts.IsConflict(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a stream with its first facts, or appends nothing when the stream exists: the idempotency of facts with
    /// a content-derived key (an imported file's runs, a device's registration, a plan). Returns whether it appended.
    /// </summary>
    public async Task<bool> StartStreamOnceAsync(string streamKey, IReadOnlyList<IGaugeEvent> events, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            if (await session.Events.FetchStreamStateAsync(streamKey, ct) is not null) return false;
            session.Events.StartStream(streamKey, events.Cast<object>().ToArray());
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (WriteConflicts.IsConflict(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Appends to a stream only if nothing was appended to it since its events were read (<paramref name="version"/>:
    /// the number of events read; 0 for a stream that did not exist). False, appending nothing, when another writer
    /// appended first.
    /// </summary>
    public async Task<bool> AppendIfUnchangedAsync(string streamKey, long version, IGaugeEvent e, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            if (version == 0) session.Events.StartStream(streamKey, e);
            else session.Events.Append(streamKey, version + 1, e);
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception x) when (WriteConflicts.IsConflict(x))
        {
            return false;
        }
    }

    /// <summary>Every identified model with its format and the analyser version of its latest dissection.</summary>
    public async Task<IReadOnlyList<ModelLedgerEntry>> ModelsAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<ModelLedgerEntry>().OrderBy(m => m.Id).ToListAsync(ct);
    }

    /// <summary>Appends to a stream (which may or may not exist), with no idempotency check: failures and retries.</summary>
    public async Task AppendAsync(string streamKey, IGaugeEvent e, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(streamKey, e);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The events of a stream, upcast, in order (empty when it does not exist).</summary>
    public async Task<IReadOnlyList<IGaugeEvent>> StreamAsync(string streamKey, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamKey, token: ct);
        return events.Select(e => e.Data).OfType<IGaugeEvent>().ToList();
    }

    /// <summary>App streams are keyed by package; facts about the listing file itself go to the snapshot's stream.</summary>
    private static string StreamKeyOf(AppFacts app) => app.Package.Length > 0 ? app.Package : app.Snapshot;

    /// <summary>A listing line's content without its timestamp: an unchanged line is the same fact.</summary>
    private static string ListingDigest(AppListed e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(e with { At = default }))));
}

public readonly record struct AppendResult(int Events, int AppsChanged, int AppsUnchanged)
{
    public static AppendResult operator +(AppendResult a, AppendResult b) =>
        new(a.Events + b.Events, a.AppsChanged + b.AppsChanged, a.AppsUnchanged + b.AppsUnchanged);
}
