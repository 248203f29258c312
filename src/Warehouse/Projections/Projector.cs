using System.Diagnostics;
using DuckDB.NET.Data;
using GaugeNN.Events;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// What one projection step did: events applied, the checkpoint reached, and which tables it rewrote; <see cref="Took"/>
/// includes <see cref="ReadWait"/>, the time it waited for events the feed had not read yet.
/// </summary>
public sealed record ProjectionStep(
    long EventsApplied, long Checkpoint, bool Full, IReadOnlyList<TableUpdate> Tables, TimeSpan Took, TimeSpan ReadWait);

/// <summary>One derived table's update: rows removed and written for the changed keys (or all of it, when full).</summary>
public sealed record TableUpdate(string Table, long RowsDeleted, long RowsInserted);

/// <summary>
/// Applies events to the DuckDB warehouse, one transaction per step: each event is appended to its event table, then
/// every derived table is recomputed for the keys the events changed (or whole, the first time and after its SQL
/// changed), then the checkpoint moves. A reader sees a step entirely or not at all, and a process killed mid-step
/// leaves the previous state, from which the next run carries on.
/// </summary>
public sealed class Projector(DuckDbWarehouse warehouse)
{
    private const string StateTable = "projection_state";
    // Earlier versions kept every event's number and time here; the event tables carry both.
    private const string RetiredIndexTable = "event_index";

    // Above this share of the apps changed, recomputing everything is cheaper than key by key.
    private const double FullRecomputeShare = 0.5;

    public long Checkpoint => long.Parse(State("checkpoint") ?? "0");

    /// <summary>
    /// Creates what is missing and reconciles stored tables with their declarations: changed event tables are dropped
    /// (their events are replayed from the store), changed derived tables are recomputed from the event tables.
    /// A derived table whose SQL yields columns other than the declared ones is refused, naming both. One transaction:
    /// a process killed meanwhile leaves the schema as it was.
    /// </summary>
    public void EnsureSchema() => InTransaction(() =>
    {
        warehouse.Execute($"CREATE TABLE IF NOT EXISTS {StateTable}(key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
        if (State("event_tables") is { } stored && stored != WarehouseSchema.EventTablesDigest)
            DropTables();
        warehouse.Execute(string.Join(";\n", WarehouseSchema.EventTables.Select(WarehouseSchema.EventTableDdl)));
        warehouse.Execute($"DROP TABLE IF EXISTS {RetiredIndexTable}");
        SetState("event_tables", WarehouseSchema.EventTablesDigest);
        bool derivedStale = State("tables") != WarehouseSchema.TablesDigest;
        if (derivedStale)
            warehouse.Execute(string.Join(";\n", WarehouseSchema.Tables.Select(t => $"DROP TABLE IF EXISTS {t.Name}")));
        warehouse.Execute(string.Join(";\n", WarehouseSchema.Tables.Select(t => t.Ddl(SqlContext.Main))));
        CheckDeclarations();
        if (derivedStale)
        {
            // Before the first step the event tables are empty (they move with the checkpoint), and so are these.
            if (Checkpoint > 0) RecomputeAll(SqlContext.Current(full: true));
            SetState("tables", WarehouseSchema.TablesDigest);
        }
    });

    /// <summary>Drops every table: the next catch-up replays the whole log.</summary>
    public void DropAll() => InTransaction(DropTables);

    private void DropTables() =>
        warehouse.Execute(string.Join(";\n",
            WarehouseSchema.Tables.Select(t => $"DROP TABLE IF EXISTS {t.Name}")
                .Concat(WarehouseSchema.EventTables.Select(t => $"DROP TABLE IF EXISTS {t.Name}"))
                .Append($"DELETE FROM {StateTable}")));

    /// <summary>
    /// Applies pages of events (in sequence order, after the checkpoint) in one transaction, and moves the checkpoint to
    /// the last page's <see cref="FeedPage.ReadThrough"/> (at or past its last event: Marten's tombstones carry no
    /// facts). Each page is appended as it arrives, so the feed reads the next one meanwhile; the derived tables are
    /// recomputed once, at the end.
    /// </summary>
    public async Task<ProjectionStep> ApplyAsync(IAsyncEnumerable<FeedPage> pages, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var readWait = TimeSpan.Zero;
        long before = Checkpoint, through = before, applied = 0;
        IReadOnlyList<TableUpdate> updates = [];
        bool full = false;
        await InTransactionAsync(async () =>
        {
            // The first step recomputes every table whole: which keys its events touch does not matter.
            var changes = before == 0 ? null : new Changes();
            // One appender per event table for the whole step: one per page spent as long again opening and flushing.
            var appenders = new Dictionary<IEventTable, DuckDBAppender>();
            await using var reading = pages.GetAsyncEnumerator(ct);
            try
            {
                while (true)
                {
                    long waitStart = Stopwatch.GetTimestamp();
                    if (!await reading.MoveNextAsync()) break;
                    readWait += Stopwatch.GetElapsedTime(waitStart);
                    var page = reading.Current;
                    if (page.Events.Count > 0 && (page.Events[0].Sequence <= through || page.Events[^1].Sequence > page.ReadThrough))
                        throw new InvalidOperationException(
                            $"events {page.Events[0].Sequence}–{page.Events[^1].Sequence} are not between the checkpoint {through} and {page.ReadThrough}");
                    AppendEvents(page.Events, appenders, changes);
                    applied += page.Events.Count;
                    through = Math.Max(through, page.ReadThrough);
                }
            }
            finally
            {
                // Closing an appender writes its last rows: the derived tables below read them.
                foreach (var appender in appenders.Values) appender.Dispose();
            }
            full = changes is null || TooManyChanged(changes);
            updates = changes is null || full ? RecomputeAll(SqlContext.Current(full: true)) : RecomputeChanged(changes);
            SetState("checkpoint", through.ToString());
        });
        return new ProjectionStep(applied, through, full, updates, clock.Elapsed, readWait);
    }

    private void AppendEvents(IReadOnlyList<FeedEvent> events, Dictionary<IEventTable, DuckDBAppender> appenders, Changes? changes)
    {
        foreach (var e in events)
        {
            var table = WarehouseSchema.For(e.Data.GetType())
                        ?? throw new InvalidOperationException($"event type {e.Data.GetType().FullName} has no event table in WarehouseSchema");
            if (!appenders.TryGetValue(table, out var appender))
                appenders.Add(table, appender = warehouse.Connection.CreateAppender(table.Name));
            table.Append(appender.CreateRow(), e.Sequence, e.AppendedAt, e.Data);
            if (changes is not null) table.Touch(e.Data, changes);
        }
    }

    private bool TooManyChanged(Changes changes)
    {
        if (changes.Apps.Count < 1000) return false;
        long apps = warehouse.Scalar<long>($"SELECT count(*) FROM {FactAppSnapshot.Table.Name}");
        return changes.Apps.Count > FullRecomputeShare * apps;
    }

    /// <summary>Recomputes every derived table whole (the first projection, a rebuild, a changed declaration).</summary>
    private IReadOnlyList<TableUpdate> RecomputeAll(SqlContext context)
    {
        var updates = new List<TableUpdate>();
        foreach (var table in WarehouseSchema.Tables)
        {
            long deleted = warehouse.Execute($"DELETE FROM {table.Name}");
            long inserted = warehouse.Execute($"INSERT INTO {table.Name} {table.Select(context)}");
            updates.Add(new TableUpdate(table.Name, deleted, inserted));
        }
        return updates;
    }

    /// <summary>
    /// Recomputes each derived table for its changed keys only. The app tables first (remembering the models and
    /// snapshot pairs the changed apps had before), then snapshots, apps, models, churn of the pairs whose
    /// membership changed or that hold a changed app, devices and runs.
    /// </summary>
    private IReadOnlyList<TableUpdate> RecomputeChanged(Changes changes)
    {
        var context = SqlContext.Current(full: false);
        FillDirty(changes);
        var updates = new List<TableUpdate>();
        void Update(DerivedTable table)
        {
            string where = context.In(table.Scope, [.. table.KeyColumns]);
            long deleted = warehouse.Execute($"DELETE FROM {table.Name} WHERE {where}");
            long inserted = warehouse.Execute($"INSERT INTO {table.Name} SELECT * FROM ({table.Select(context)}) WHERE {where}");
            updates.Add(new TableUpdate(table.Name, deleted, inserted));
        }

        if (changes.Apps.Count > 0)
        {
            warehouse.Execute($"""
                INSERT INTO dirty_snapshot SELECT DISTINCT snapshot FROM dirty_app;
                INSERT INTO dirty_package SELECT DISTINCT package FROM dirty_app WHERE package <> '';
                INSERT INTO dirty_model SELECT DISTINCT sha256 FROM {FactAppModel.Table.Name} WHERE {context.In(Scope.App, "snapshot", "package")};
                """);
            foreach (var table in new[] { FactAppModel.Table, FactFrameworkEvidence.Table, FactScanFailure.Table, FactAppSnapshot.Table })
                Update(table);
            warehouse.Execute($"INSERT INTO dirty_model SELECT DISTINCT sha256 FROM {FactAppModel.Table.Name} WHERE {context.In(Scope.App, "snapshot", "package")}");
        }
        bool snapshotsChanged = changes.Apps.Count > 0 || changes.Snapshots.Count > 0;
        if (snapshotsChanged)
        {
            warehouse.Execute($"CREATE OR REPLACE TEMP TABLE pairs_before AS {context.Pairs(DimSnapshot.Table)}");
            Update(DimSnapshot.Table);
            Update(DimApp.Table);
        }
        if (changes.Apps.Count > 0 || changes.Models.Count > 0)
            Update(DimModel.Table);
        if (snapshotsChanged)
        {
            warehouse.Execute($"""
                CREATE OR REPLACE TEMP TABLE pairs_after AS {context.Pairs(DimSnapshot.Table)};
                INSERT INTO dirty_pair (SELECT * FROM pairs_before EXCEPT SELECT * FROM pairs_after)
                                 UNION (SELECT * FROM pairs_after EXCEPT SELECT * FROM pairs_before);
                INSERT INTO dirty_pair_app
                    SELECT DISTINCT p.from_snapshot, p.to_snapshot, d.package
                    FROM (SELECT * FROM pairs_after INTERSECT SELECT * FROM pairs_before) p
                    JOIN dirty_app d ON d.snapshot IN (p.from_snapshot, p.to_snapshot);
                """);
            Update(FactModelChurn.Table);
            Update(FactAppChurn.Table);
        }
        if (changes.Devices.Count > 0) Update(DimDevice.Table);
        if (changes.Runs.Count > 0)
            foreach (var table in new[] { FactMeasurement.Table, FactOperatorProfile.Table, FactBenchmarkFailure.Table })
                Update(table);
        return updates;
    }

    private void FillDirty(Changes changes)
    {
        warehouse.Execute("""
            CREATE OR REPLACE TEMP TABLE dirty_app(snapshot VARCHAR, package VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_snapshot(snapshot VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_package(package VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_model(sha256 VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_pair(from_snapshot VARCHAR, to_snapshot VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_pair_app(from_snapshot VARCHAR, to_snapshot VARCHAR, package VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_device(device_id VARCHAR);
            CREATE OR REPLACE TEMP TABLE dirty_run(run_id VARCHAR);
            """);
        Fill("dirty_app", changes.Apps, (row, k) => row.AppendValue(k.Snapshot).AppendValue(k.Package));
        Fill("dirty_snapshot", changes.Snapshots, (row, k) => row.AppendValue(k));
        Fill("dirty_model", changes.Models, (row, k) => row.AppendValue(k));
        Fill("dirty_device", changes.Devices, (row, k) => row.AppendValue(k));
        Fill("dirty_run", changes.Runs, (row, k) => row.AppendValue(k));
    }

    private void Fill<T>(string table, IEnumerable<T> keys, Func<IDuckDBAppenderRow, T, IDuckDBAppenderRow> append)
    {
        using var appender = warehouse.Connection.CreateAppender("temp", "main", table);
        foreach (var key in keys) append(appender.CreateRow(), key).EndRow();
    }

    /// <summary>Every derived table's SELECT must yield exactly its declared columns (names and types, in order).</summary>
    private void CheckDeclarations()
    {
        foreach (var table in WarehouseSchema.Tables)
        {
            // DESCRIBE of the table itself: a tenth of the time of information_schema, and the same type names as below.
            var declared = warehouse.Query($"DESCRIBE main.{table.Name}", r => $"{r.GetString(0)} {r.GetString(1)}");
            var built = warehouse.Query($"DESCRIBE {table.Select(SqlContext.Current(full: true))}", r => $"{r.GetString(0)} {r.GetString(1)}");
            if (!built.SequenceEqual(declared))
                throw new InvalidOperationException(
                    $"table {table.Name} drifted from its declared columns: declared [{string.Join(", ", declared)}], its SQL yields [{string.Join(", ", built)}]");
        }
    }

    private void InTransaction(Action work) => InTransactionAsync(() =>
    {
        work();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    private async Task InTransactionAsync(Func<Task> work)
    {
        warehouse.Execute("BEGIN TRANSACTION");
        try
        {
            await work();
            warehouse.Execute("COMMIT");
        }
        catch
        {
            warehouse.Execute("ROLLBACK");
            throw;
        }
    }

    // A file whose first schema transaction never committed (its process was killed) has no state: nothing is projected.
    private string? State(string key) =>
        warehouse.Scalar<bool>("SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?", StateTable)
            ? warehouse.Scalar<string>($"SELECT value FROM {StateTable} WHERE key = ?", key)
            : null;

    private void SetState(string key, string value) =>
        warehouse.Execute($"INSERT OR REPLACE INTO {StateTable} VALUES ('{key}', '{value}')");
}
