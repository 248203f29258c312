using Marten;
using Npgsql;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>
/// The gap probe of a real PostgreSQL: <c>clock_timestamp()</c>, and every other open transaction of this database
/// that began at or before the moment (from <c>pg_stat_activity</c>), plus holders of a write lock on the event table
/// whose start another role's privileges hide (from <c>pg_locks</c>, which every role sees).
/// </summary>
public sealed class PostgresGapProbe(IDocumentStore store) : IGapProbe
{
    public async Task<DateTimeOffset> NowAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    public async Task<IReadOnlyList<string>> PossibleWritersAsync(DateTimeOffset since, CancellationToken ct)
    {
        string events = $"{store.Options.Events.DatabaseSchemaName}.mt_events";
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, 'hidden'), a.xact_start
            FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND a.xact_start IS NOT NULL AND a.xact_start <= @since
            UNION
            SELECT l.pid, '', 'writing (start hidden)', NULL
            FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.relation = to_regclass(@events) AND l.mode = 'RowExclusiveLock' AND l.granted
              AND l.pid <> pg_backend_pid() AND a.xact_start IS NULL
            ORDER BY 1
            """, connection);
        command.Parameters.AddWithValue("since", since.ToUniversalTime()); // timestamptz takes UTC offsets only
        command.Parameters.AddWithValue("events", events);
        var writers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            writers.Add($"pid {reader.GetInt32(0)}{(reader.GetString(1) is { Length: > 0 } app ? $" ({app})" : "")} {reader.GetString(2)}" +
                        (reader.IsDBNull(3) ? "" : $" since {reader.GetFieldValue<DateTimeOffset>(3):HH:mm:ss}"));
        return writers;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
