using System.Diagnostics;
using DuckDB.NET.Data;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Bench;

/// <summary>What DuckDB alone takes for the same final result: the floors the warehouse's own work is set beside.</summary>
public static class Baselines
{
    /// <summary>How long a baseline took and how much it moved.</summary>
    public sealed record Figure(TimeSpan Took, long Rows, string Note, TimeSpan? WithCheckpoint = null);

    /// <summary>
    /// The DuckDB appender inserting the final rows of the given tables into an empty DuckDB file (opened as the
    /// warehouse opens its own): what a rebuild would cost if it only had to write its result (and, apart, with the
    /// CHECKPOINT that moves them into the file's compressed storage). The rows are read into memory first (not timed).
    /// The appender writes no STRUCT or MAP value, so those columns (a few on dim_model, dim_snapshot and
    /// fact_measurement) go in as their JSON text; event tables are created with the warehouse's own DDL.
    /// </summary>
    public static Figure Appender(string warehouseFile, string targetFile, bool eventTables)
    {
        var declared = WarehouseSchema.Tables.Select(t => (t.Name, t.Columns, Ddl: DerivedDdl(t)));
        if (eventTables)
            declared = WarehouseSchema.EventTables.Select(t => (t.Name, t.Columns, Ddl: WarehouseSchema.EventTableDdl(t))).Concat(declared);
        var tables = new List<(string Name, string Ddl, List<object?[]> Rows)>();
        using (var source = DuckDbWarehouse.Open(warehouseFile, readOnly: true))
            foreach (var (name, columns, ddl) in declared)
            {
                string select = string.Join(", ", columns.Select(c => Nested(c.Type) ? $"CAST(to_json(\"{c.Name}\") AS VARCHAR)" : $"\"{c.Name}\""));
                tables.Add((name, ddl, source.Query($"SELECT {select} FROM {name}", r =>
                {
                    var row = new object?[r.FieldCount];
                    for (int i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : Read(r, i, columns[i].Type);
                    return row;
                })));
            }
        foreach (var file in new[] { targetFile, targetFile + ".wal" }.Where(File.Exists)) File.Delete(file);
        using var target = DuckDbWarehouse.Open(targetFile);
        foreach (var table in tables) target.Execute(table.Ddl);

        var clock = Stopwatch.StartNew();
        foreach (var (name, _, rows) in tables)
        {
            using var appender = target.Connection.CreateAppender(name);
            foreach (var values in rows)
            {
                var row = appender.CreateRow();
                foreach (var value in values) row = Append(row, value);
                row.EndRow();
            }
        }
        var appended = clock.Elapsed;
        // The rebuild's time includes writing its rows into the file's compressed storage (its checkpoint); the
        // appender's rows may sit in the write-ahead log until then. Both figures are printed.
        target.Execute("CHECKPOINT");
        return new Figure(appended, tables.Sum(t => t.Rows.Count), $"{tables.Count} tables", clock.Elapsed);
    }

    /// <summary>
    /// DuckDB's own <c>COPY … (FORMAT parquet, PARTITION_BY (snapshot))</c> of every derived table (zstd, as the lake),
    /// straight from the tables: no ordering, no digests, no manifest.
    /// </summary>
    public static Figure Copy(string warehouseFile, string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        using var warehouse = DuckDbWarehouse.Open(warehouseFile, readOnly: true);
        var clock = Stopwatch.StartNew();
        long rows = 0;
        foreach (var table in WarehouseSchema.Tables)
        {
            string to = Path.Combine(folder, table.Name);
            rows += warehouse.Execute(table.PartitionColumn is { } column
                ? $"COPY {table.Name} TO '{to}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({column}))"
                : $"COPY {table.Name} TO '{to}.parquet' (FORMAT parquet, COMPRESSION zstd)");
        }
        return new Figure(clock.Elapsed, rows, $"{Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Count()} files");
    }

    // Lists whose items may be NULL come back typed by their declaration (the untyped read refuses a NULL item).
    private static object Read(DuckDBDataReader reader, int i, string type) => type switch
    {
        "VARCHAR[]" => reader.GetFieldValue<List<string?>>(i),
        "BIGINT[]" => reader.GetFieldValue<List<long?>>(i),
        "DOUBLE[]" => reader.GetFieldValue<List<double?>>(i),
        "BIGINT[][]" => reader.GetFieldValue<List<List<long?>>>(i),
        "VARCHAR[][]" => reader.GetFieldValue<List<List<string?>>>(i),
        _ => reader.GetValue(i),
    };

    private static string DerivedDdl(DerivedTable table) =>
        $"CREATE TABLE {table.Name}({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\" {(Nested(c.Type) ? "VARCHAR" : c.Type)}"))})";

    private static bool Nested(string type) => type.Contains("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal);

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, object? value) => value switch
    {
        null => row.AppendNullValue(),
        string s => row.AppendValue(s),
        bool b => row.AppendValue(b),
        int i => row.AppendValue(i),
        long l => row.AppendValue(l),
        double d => row.AppendValue(d),
        DateOnly d => row.AppendValue(d),
        DateTime t => row.AppendValue(t),
        DateTimeOffset t => row.AppendValue(t),
        List<string?> list => row.AppendValue(list),
        List<long?> list => row.AppendValue(list),
        List<double?> list => row.AppendValue(list),
        List<List<long?>> lists => row.AppendValue(lists),
        List<List<string?>> lists => row.AppendValue(lists),
        _ => throw new NotSupportedException($"no appender call for a {value.GetType()}"),
    };
}
