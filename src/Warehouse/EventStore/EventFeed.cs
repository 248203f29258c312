using System.Runtime.CompilerServices;
using GaugeNN.Events;
using Marten;
using Npgsql;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>
/// A hole in the committed event sequence: <see cref="AfterSequence"/> is committed, the next committed event is
/// <see cref="NextSequence"/>, and the numbers between were reserved by transactions that may still be committing.
/// </summary>
public sealed record Gap(long AfterSequence, long NextSequence, DateTimeOffset FirstSeen, IReadOnlyList<string> PossibleWriters)
{
    public override string ToString() =>
        $"events {AfterSequence + 1}–{NextSequence - 1} are not committed (first seen {FirstSeen:HH:mm:ss}); " +
        (PossibleWriters.Count == 0 ? "no transaction is left that could commit them"
            : $"transactions that may still commit them: {string.Join("; ", PossibleWriters)}");
}

/// <summary>
/// What the feed needs from the database to tell a gap that will fill (a transaction still committing) from a gap
/// that never will (a rolled-back or killed writer): the database's own clock, and the open transactions that began
/// at or before a moment. Tests give it a fake clock and fake transactions.
/// </summary>
public interface IGapProbe
{
    Task<DateTimeOffset> NowAsync(CancellationToken ct);

    /// <summary>Open transactions of this database that began at or before <paramref name="since"/>, described for a message.</summary>
    Task<IReadOnlyList<string>> PossibleWritersAsync(DateTimeOffset since, CancellationToken ct);
}

/// <summary>A fact read from the store: its sequence number, stream key, stored alias, append time and the event (upcast).</summary>
public sealed record FeedEvent(long Sequence, string Stream, string Alias, DateTimeOffset AppendedAt, IGaugeEvent Data);

/// <summary>Facts read, the last sequence number read (tombstones included), and a gap that stopped the read.</summary>
public sealed record FeedPage(IReadOnlyList<FeedEvent> Events, long ReadThrough, Gap? BlockedBy);

/// <summary>
/// Reads committed events in sequence order, as C# records (upcast, <see cref="StoredEvents"/>). Gap rule, all in the
/// database's time: a gap is passed only when it has been seen for at least <see cref="MinGapAge"/> and no transaction
/// that began before it was first seen is still open — any writer that reserved its numbers began before then. Until
/// then the feed stops in front of it, so nothing after a gap is ever applied before the gap's own events.
/// </summary>
public sealed class EventFeed(IDocumentStore store, IGapProbe probe)
{
    /// <summary>Covers the moment between a writer reserving sequence numbers and starting its insert.</summary>
    public static readonly TimeSpan MinGapAge = TimeSpan.FromSeconds(2);

    private readonly Dictionary<long, DateTimeOffset> _firstSeen = [];
    private readonly StoredEvents _stored = new(store.Options.Serializer());

    /// <summary>
    /// The committed events after <paramref name="after"/> (at most <paramref name="limit"/> sequence numbers, all when
    /// null), read by one query and cut into pages of <paramref name="pageEvents"/> as they arrive: the database sends
    /// the next rows while the caller works on a page. At least one page is yielded (empty, read through
    /// <paramref name="after"/>, when nothing follows it); a gap that may still fill ends the read, its page naming it.
    /// </summary>
    public async IAsyncEnumerable<FeedPage> ReadPagesAsync(
        long after, int pageEvents, long? limit, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // Marten's own event query leaves archived events out; so does the feed.
        await using var command = new NpgsqlCommand($"""
            SELECT seq_id, stream_id, type, timestamp, data FROM {store.Options.Events.DatabaseSchemaName}.mt_events
            WHERE seq_id > @after AND is_archived = FALSE ORDER BY seq_id LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)limit ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var facts = new List<FeedEvent>(pageEvents);
        long pageStart = after, expected = after + 1;
        while (await reader.ReadAsync(ct))
        {
            long sequence = reader.GetInt64(0);
            if (sequence != expected && await OpenGapAsync(expected - 1, sequence, ct) is { } gap)
            {
                yield return new FeedPage(facts, expected - 1, gap);
                yield break;
            }
            string alias = reader.GetString(2);
            // Marten fills the numbers of a rolled-back append with tombstones: they close a gap but are not facts.
            if (_stored.Read(alias, reader, 4) is { } data)
                facts.Add(new FeedEvent(sequence, reader.GetString(1), alias, reader.GetFieldValue<DateTimeOffset>(3), data));
            expected = sequence + 1;
            if (facts.Count == pageEvents)
            {
                yield return new FeedPage(facts, sequence, null);
                facts = new List<FeedEvent>(pageEvents);
                pageStart = sequence;
            }
        }
        if (expected - 1 > pageStart || pageStart == after) yield return new FeedPage(facts, expected - 1, null);
    }

    /// <summary>The gap if it may still fill, null when it is proven permanent.</summary>
    private async Task<Gap?> OpenGapAsync(long afterSequence, long nextSequence, CancellationToken ct)
    {
        var now = await probe.NowAsync(ct);
        if (!_firstSeen.TryGetValue(afterSequence, out var firstSeen)) _firstSeen[afterSequence] = firstSeen = now;
        var writers = await probe.PossibleWritersAsync(firstSeen, ct);
        if (now - firstSeen < MinGapAge || writers.Count > 0)
            return new Gap(afterSequence, nextSequence, firstSeen, writers);
        _firstSeen.Remove(afterSequence);
        return null;
    }

    /// <summary>The highest committed sequence number (0 for an empty store).</summary>
    public async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var head = await session.AdvancedSql.QueryAsync<long>(
            $"SELECT coalesce(max(seq_id), 0) FROM {store.Options.Events.DatabaseSchemaName}.mt_events", ct);
        return head.Single();
    }
}
