using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// Answers "what did the warehouse say then": the app tables recomputed as of an event sequence number (or a time),
/// and churn between any two snapshots, each into an in-memory schema attached to the warehouse's DuckDB instance,
/// by the very SQL that maintains the live tables. Readers query the returned schema instead of <c>main</c>. A few
/// recent schemas are kept; they are cheap to rebuild.
/// </summary>
public sealed class PointInTime(DuckDbWarehouse warehouse, int keep = 4)
{
    private static readonly Lock Gate = new();
    private readonly LinkedList<string> _recent = new();

    /// <summary>The event sequence number of the last event appended at or before <paramref name="time"/> (0: none).</summary>
    public long SequenceAt(DateTimeOffset time) =>
        warehouse.Scalar<long?>(
            $"SELECT max(seq) FROM ({string.Join(" UNION ALL ", WarehouseSchema.EventTables.Select(t => $"SELECT max(seq) AS seq FROM {t.Name} WHERE appended_at <= $1"))})",
            time) ?? 0;

    /// <summary>A schema holding the app tables as they were after event <paramref name="asOf"/>.</summary>
    public string AsOf(long asOf)
    {
        string schema = $"asof_{asOf}";
        return Build(schema, () =>
        {
            var context = new SqlContext(asOf, schema, Full: true);
            foreach (var table in WarehouseSchema.AppTables) Materialise(table, schema, context);
        });
    }

    /// <summary>
    /// A schema holding <c>fact_model_churn</c> and <c>fact_app_churn</c> for one pair of snapshots, read from the live
    /// tables or from an as-of schema (<paramref name="upstream"/>).
    /// </summary>
    public string Churn(string from, string to, string upstream = SqlContext.Main)
    {
        // Live tables move on: the key includes the checkpoint they are at (an as-of schema never changes).
        string version = upstream == SqlContext.Main ? warehouse.Scalar<string>("SELECT value FROM projection_state WHERE key = 'checkpoint'") ?? "0" : "";
        string schema = $"churn_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{upstream}\n{version}\n{from}\n{to}")))[..16]}";
        return Build(schema, () =>
        {
            string pair = $"SELECT {Literal(from)} AS from_snapshot, {Literal(to)} AS to_snapshot";
            var context = new SqlContext(long.MaxValue, schema, Full: true,
                LocalTables: new HashSet<string> { FactModelChurn.Table.Name, FactAppChurn.Table.Name }, PairsOverride: pair, Upstream: upstream);
            // Its events are those of the upstream tables: an as-of schema is already bounded.
            Materialise(FactModelChurn.Table, schema, context);
            Materialise(FactAppChurn.Table, schema, context);
        });
    }

    private string Build(string schema, Action fill)
    {
        lock (Gate)
        {
            if (_recent.Contains(schema)) return schema;
            warehouse.Execute($"DETACH DATABASE IF EXISTS {schema}; ATTACH ':memory:' AS {schema}");
            try
            {
                fill();
            }
            catch
            {
                warehouse.Execute($"DETACH DATABASE IF EXISTS {schema}");
                throw;
            }
            _recent.AddFirst(schema);
            while (_recent.Count > keep)
            {
                warehouse.Execute($"DETACH DATABASE IF EXISTS {_recent.Last!.Value}");
                _recent.RemoveLast();
            }
            return schema;
        }
    }

    private void Materialise(DerivedTable table, string schema, SqlContext context)
    {
        warehouse.Execute(table.Ddl(schema));
        warehouse.Execute($"INSERT INTO {schema}.{table.Name} {table.Select(context)}");
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";
}
