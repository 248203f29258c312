using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Export;

/// <summary>
/// One file's worth of a table: the whole table, or one snapshot of a table that has a snapshot column (hive layout:
/// <c>table/snapshot=ID/</c>, the partition column lives in the path, not in the file). Values are normalised to
/// string, long, int, double, bool and DateOnly, following the column's declared DuckDB type.
/// </summary>
public sealed record TablePartition(WarehouseTable Table, IReadOnlyList<Column> Columns, string? Snapshot, List<object?[]> Rows)
{
    public const string PartitionColumn = "snapshot";

    public string RelativeDirectory => Snapshot is null ? Table.Name : Path.Combine(Table.Name, $"{PartitionColumn}={Snapshot}");

    /// <summary>Every partition of every warehouse table; each table's folder under <paramref name="outDirectory"/> is emptied first.</summary>
    public static IEnumerable<TablePartition> ReadAll(DuckDbWarehouse warehouse, string outDirectory)
    {
        foreach (var table in WarehouseTables.All)
        {
            string tableDirectory = Path.Combine(outDirectory, table.Name);
            if (Directory.Exists(tableDirectory)) Directory.Delete(tableDirectory, recursive: true);
            Directory.CreateDirectory(tableDirectory);
            if (!table.PartitionedBySnapshot)
            {
                yield return Read(warehouse, table, table.Columns, null);
                continue;
            }
            var columns = table.Columns.Where(c => c.Name != PartitionColumn).ToList();
            foreach (var snapshot in warehouse.Query($"SELECT DISTINCT {PartitionColumn} FROM {table.Name} ORDER BY 1", r => r.GetString(0)))
                yield return Read(warehouse, table, columns, snapshot);
        }
    }

    private static TablePartition Read(DuckDbWarehouse warehouse, WarehouseTable table, IReadOnlyList<Column> columns, string? snapshot)
    {
        string sql = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c.Name}\""))} FROM {table.Name}" +
                     (snapshot is null ? "" : $" WHERE {PartitionColumn} = ?");
        var rows = warehouse.Query(sql, r =>
        {
            var values = new object?[columns.Count];
            for (int i = 0; i < columns.Count; i++) values[i] = r.IsDBNull(i) ? null : Normalise(columns[i], r.GetValue(i));
            return values;
        }, snapshot is null ? [] : [snapshot]);
        return new TablePartition(table, columns, snapshot, rows);
    }

    private static object Normalise(Column column, object value) => column.Type switch
    {
        "VARCHAR" => (string)value,
        "BIGINT" => Convert.ToInt64(value),
        "INTEGER" => Convert.ToInt32(value),
        "DOUBLE" => Convert.ToDouble(value),
        "BOOLEAN" => (bool)value,
        "DATE" => DuckDbWarehouse.DateOf(value),
        _ => throw new NotSupportedException($"column {column.Name}: DuckDB type {column.Type} has no export mapping"),
    };
}
