using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GaugeNN.Events;
using Marten;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>One app's facts from one snapshot, as the ingest produced them.</summary>
public sealed record AppFacts(string Package, string Snapshot, string ScanKey, IReadOnlyList<object> Events);

/// <summary>
/// Appends facts idempotently: the same listing line or the same scanned bytes in the same snapshot append nothing
/// the second time. Apps are written in batches, one transaction per batch.
/// </summary>
public sealed class EventLog(IDocumentStore store)
{
    private const int BatchSize = 64;

    /// <summary>Appends <see cref="SnapshotOpened"/> unless the snapshot stream already exists.</summary>
    public async Task<bool> OpenSnapshotAsync(SnapshotOpened opened, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var state = await session.Events.FetchStreamStateAsync(opened.Snapshot, ct);
        if (state is not null) return false;
        session.Events.StartStream(opened.Snapshot, opened);
        await session.SaveChangesAsync(ct);
        return true;
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
                total += await AppendBatchAsync(batch, ct);
                batch.Clear();
            }
        }
        if (batch.Count > 0) total += await AppendBatchAsync(batch, ct);
        return total;
    }

    /// <summary>Appends model facts (dissections) to the model's stream.</summary>
    public async Task AppendToStreamAsync(string streamKey, IReadOnlyList<object> events, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(streamKey, events.ToArray());
        await session.SaveChangesAsync(ct);
    }

    private async Task<AppendResult> AppendBatchAsync(List<AppFacts> batch, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var ids = batch.Select(a => IngestLedgerEntry.IdOf(a.Snapshot, a.Package)).Distinct().ToArray();
        var ledger = (await session.LoadManyAsync<IngestLedgerEntry>(ct, ids)).ToDictionary(e => e.Id);
        int appended = 0, appsChanged = 0, appsUnchanged = 0;
        foreach (var app in batch)
        {
            string id = IngestLedgerEntry.IdOf(app.Snapshot, app.Package);
            if (!ledger.TryGetValue(id, out var entry)) ledger[id] = entry = new IngestLedgerEntry { Id = id };
            var fresh = new List<object>();
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
            session.Events.Append(StreamKeyOf(app), fresh.ToArray());
            session.Store(entry);
        }
        if (appsChanged > 0) await session.SaveChangesAsync(ct);
        return new AppendResult(appended, appsChanged, appsUnchanged);
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
