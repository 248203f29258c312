using System.Text.Json;
using GaugeNN.Events;
using JasperFx.Events;
using Marten;

namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// Brings the DuckDB warehouse up to date with the event store: new events are appended to <c>event_log</c> (through
/// the appender, from the stored checkpoint on), then every table is rebuilt from it by SQL. Replaying into an
/// empty file therefore gives identical tables.
/// </summary>
public sealed class Projector(IDocumentStore store, DuckDbWarehouse warehouse, TimeProvider time)
{
    private const string CheckpointName = "event_log";
    private const int PageSize = 2_000;

    // A sequence gap younger than this may be a transaction still committing; older gaps are rolled-back appends.
    private static readonly TimeSpan InFlightWindow = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<Type, string> AliasOf = EventCatalogue.All.ToDictionary(e => e.Type, e => e.Alias);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Result(long EventsApplied, long Checkpoint);

    public async Task<Result> RunAsync(CancellationToken ct)
    {
        EnsureSchema();
        long checkpoint = warehouse.Scalar<long?>("SELECT last_seq FROM projection_checkpoint WHERE name = ?", CheckpointName) ?? 0;
        // Rows past the checkpoint come from a run that died before recording it: drop them and read them again.
        warehouse.Execute($"DELETE FROM event_log WHERE seq > {checkpoint}");
        long applied = 0;
        await using var session = store.QuerySession();
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > checkpoint)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(ct);
            var usable = ContiguousPrefix(page, checkpoint);
            if (usable.Count == 0) break;
            Append(usable);
            checkpoint = usable[^1].Sequence;
            warehouse.Execute($"INSERT OR REPLACE INTO projection_checkpoint VALUES ('{CheckpointName}', {checkpoint})");
            applied += usable.Count;
            if (usable.Count < page.Count || page.Count < PageSize) break;
        }
        // The tables are a function of the events and of their definitions: rebuild only when either moved.
        string builtMarker = $"{TablesMarkerPrefix}{TablesDigest}";
        if (warehouse.Scalar<long?>("SELECT last_seq FROM projection_checkpoint WHERE name = ?", builtMarker) != checkpoint)
            Rebuild(builtMarker, checkpoint);
        return new Result(applied, checkpoint);
    }

    /// <summary>Drops the DuckDB contents and replays every event.</summary>
    public Task<Result> RebuildAsync(CancellationToken ct)
    {
        warehouse.Execute("DROP TABLE IF EXISTS event_log; DROP TABLE IF EXISTS projection_checkpoint;");
        return RunAsync(ct);
    }

    private List<IEvent> ContiguousPrefix(IReadOnlyList<IEvent> page, long checkpoint)
    {
        var usable = new List<IEvent>(page.Count);
        long expected = checkpoint + 1;
        var now = time.GetUtcNow();
        foreach (var e in page)
        {
            if (e.Sequence != expected && now - e.Timestamp < InFlightWindow) break;
            usable.Add(e);
            expected = e.Sequence + 1;
        }
        return usable;
    }

    private void EnsureSchema()
    {
        warehouse.Execute("""
            CREATE TABLE IF NOT EXISTS event_log(seq BIGINT PRIMARY KEY, stream VARCHAR NOT NULL, type VARCHAR NOT NULL,
                                                 appended_at TIMESTAMPTZ NOT NULL, data JSON NOT NULL);
            CREATE TABLE IF NOT EXISTS projection_checkpoint(name VARCHAR PRIMARY KEY, last_seq BIGINT NOT NULL);
            """);
    }

    private void Append(List<IEvent> events)
    {
        using var appender = warehouse.Connection.CreateAppender("event_log");
        foreach (var e in events)
        {
            if (!AliasOf.TryGetValue(e.EventType, out var alias))
                throw new InvalidOperationException($"event {e.Sequence} has type {e.EventType} that no alias names");
            appender.CreateRow()
                .AppendValue(e.Sequence)
                .AppendValue(e.StreamKey ?? e.StreamId.ToString())
                .AppendValue(alias)
                .AppendValue(e.Timestamp)
                .AppendValue(JsonSerializer.Serialize(e.Data, e.EventType, Json))
                .EndRow();
        }
    }

    private const string TablesMarkerPrefix = "tables:";

    private static readonly string TablesDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n', WarehouseTables.All.Select(t =>
            $"{t.Name}|{t.PartitionedBySnapshot}|{string.Join(',', t.Columns)}|{t.Sql}"))))).Substring(0, 16);

    /// <summary>Rebuilds every table in one transaction, so a reader never sees half of a rebuild.</summary>
    private void Rebuild(string builtMarker, long checkpoint)
    {
        warehouse.Execute("BEGIN TRANSACTION");
        try
        {
            BuildTables();
            warehouse.Execute($"DELETE FROM projection_checkpoint WHERE name LIKE '{TablesMarkerPrefix}%'");
            warehouse.Execute($"INSERT INTO projection_checkpoint VALUES ('{builtMarker}', {checkpoint})");
            warehouse.Execute("COMMIT");
        }
        catch
        {
            warehouse.Execute("ROLLBACK");
            throw;
        }
    }

    private void BuildTables()
    {
        foreach (var table in WarehouseTables.All)
        {
            warehouse.Execute($"CREATE OR REPLACE TABLE {table.Name} AS {table.Sql}");
            var actual = warehouse.Query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                r => new Column(r.GetString(0), r.GetString(1)), table.Name);
            if (!actual.SequenceEqual(table.Columns))
                throw new InvalidOperationException(
                    $"table {table.Name} drifted from its declared schema: declared " +
                    $"[{string.Join(", ", table.Columns.Select(c => $"{c.Name} {c.Type}"))}], built " +
                    $"[{string.Join(", ", actual.Select(c => $"{c.Name} {c.Type}"))}]");
        }
    }
}
