using GaugeNN.Events;
using GaugeNN.Warehouse.EventStore;
using Npgsql;

namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>What the event store holds, read with plain SQL over Marten's event table (the CLI's default schema).</summary>
public static class EventStoreState
{
    private const string Events = $"{GaugeStore.DefaultSchema}.mt_events";

    private static readonly string AppFacts = string.Join(", ", EventCatalogue.All
        .Where(e => e.Type == typeof(AppListed) || e.Type == typeof(ApkScanned)).Select(e => $"'{e.Alias}'"));

    // Marten fills the sequence numbers of a rolled-back append with these: they carry no fact.
    private const string Tombstone = "tombstone";

    /// <summary>Committed facts per event type ("type=count, …", sorted), tombstones left out.</summary>
    public static async Task<string> EventsPerTypeAsync(string connectionString)
    {
        var counts = await QueryAsync(connectionString,
            $"SELECT type, count(*) FROM {Events} WHERE type <> '{Tombstone}' GROUP BY type ORDER BY type",
            r => $"{r.GetString(0)}={r.GetInt64(1)}");
        return string.Join(", ", counts);
    }

    /// <summary>
    /// Facts appended more than once: events of one stream with the same type and the same content apart from the
    /// time they were appended (every event carries <c>At</c>). One group per fact that was doubled, however often.
    /// </summary>
    public static async Task<long> DuplicateGroupsAsync(string connectionString) =>
        (await QueryAsync(connectionString, $"""
            SELECT count(*) FROM (
                SELECT 1 FROM {Events} WHERE type <> '{Tombstone}'
                GROUP BY stream_id, type, data - 'At' HAVING count(*) > 1) doubled
            """, r => r.GetInt64(0))).Single();

    /// <summary>
    /// Apps of <paramref name="snapshot"/> (listed or scanned: the warehouse's definition) committed at or before
    /// <paramref name="throughSequence"/> (null: all committed now); 0 before the store's schema exists.
    /// </summary>
    public static async Task<long> CommittedAppsAsync(string connectionString, string snapshot, long? throughSequence = null) =>
        !await TableExistsAsync(connectionString) ? 0 : (await QueryAsync(connectionString, $"""
            SELECT count(DISTINCT data->>'Package') FROM {Events}
            WHERE type IN ({AppFacts}) AND data->>'Snapshot' = @snapshot AND seq_id <= @through
            """, r => r.GetInt64(0), ("snapshot", snapshot), ("through", throughSequence ?? long.MaxValue))).Single();

    /// <summary>Facts committed (tombstones left out): how far an interrupted writer got.</summary>
    public static async Task<long> FactsAsync(string connectionString) =>
        await TableExistsAsync(connectionString)
            ? (await QueryAsync(connectionString, $"SELECT count(*) FROM {Events} WHERE type <> '{Tombstone}'", r => r.GetInt64(0))).Single()
            : 0;

    /// <summary>The highest committed sequence number.</summary>
    public static async Task<long> HeadAsync(string connectionString) =>
        (await QueryAsync(connectionString, $"SELECT coalesce(max(seq_id), 0) FROM {Events}", r => r.GetInt64(0))).Single();

    /// <summary>Sequence numbers below the head that no committed event holds: the gaps killed writers left.</summary>
    public static async Task<long> MissingSequenceNumbersAsync(string connectionString) =>
        !await TableExistsAsync(connectionString) ? 0 : (await QueryAsync(connectionString, $"SELECT coalesce(max(seq_id), 0) - count(*) FROM {Events}", r => r.GetInt64(0))).Single();

    /// <summary>
    /// Waits until another session of the database holds an uncommitted insert into the event table (a write lock on
    /// it: its sequence numbers are taken, its events not yet visible); false when <paramref name="stop"/> says to give
    /// up first. Polled on one connection, every millisecond: an append transaction lasts some milliseconds.
    /// </summary>
    public static async Task<bool> WaitForOpenAppendAsync(string connectionString, Func<bool> stop)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = to_regclass(@events) AND mode = 'RowExclusiveLock'
                           AND granted AND pid <> pg_backend_pid())
            """, connection);
        command.Parameters.AddWithValue("events", Events);
        await command.PrepareAsync();
        while (!stop())
        {
            if ((bool)(await command.ExecuteScalarAsync())!) return true;
            await Task.Delay(1);
        }
        return false;
    }

    /// <summary>Every snapshot id any committed event names.</summary>
    public static async Task<IReadOnlyList<string>> SnapshotIdsAsync(string connectionString) =>
        await QueryAsync(connectionString,
            $"SELECT DISTINCT data->>'Snapshot' FROM {Events} WHERE data ? 'Snapshot' ORDER BY 1", r => r.GetString(0));

    private static async Task<bool> TableExistsAsync(string connectionString) =>
        (await QueryAsync(connectionString, "SELECT to_regclass(@name) IS NOT NULL", r => r.GetBoolean(0), ("name", Events))).Single();

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> map,
        params (string Name, object Value)[] parameters)
    {
        // Unpooled: the servers of these tests are killed and restarted under the connections.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(map(reader));
        return rows;
    }
}
