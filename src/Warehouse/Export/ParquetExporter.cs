using GaugeNN.Warehouse.Projections;
using Parquet;
using Parquet.Schema;

namespace GaugeNN.Warehouse.Export;

/// <summary>
/// Writes every warehouse table as a Parquet dataset (zstd): <c>OUT/table/snapshot=ID/part-0.parquet</c> for tables
/// with a snapshot (hive layout: the partition column lives in the path), <c>OUT/table/part-0.parquet</c> otherwise.
/// Parquet schemas come from the tables' one declaration in <see cref="WarehouseTables"/>.
/// </summary>
public sealed class ParquetExporter(DuckDbWarehouse warehouse)
{
    public const string PartitionColumn = "snapshot";

    public async Task<IReadOnlyList<string>> ExportAsync(string outDirectory, CancellationToken ct)
    {
        var written = new List<string>();
        foreach (var table in WarehouseTables.All)
        {
            string tableDirectory = Path.Combine(outDirectory, table.Name);
            if (Directory.Exists(tableDirectory)) Directory.Delete(tableDirectory, recursive: true);
            Directory.CreateDirectory(tableDirectory);
            if (!table.PartitionedBySnapshot)
            {
                written.Add(await WriteAsync(table, table.Columns, null, Path.Combine(tableDirectory, "part-0.parquet"), ct));
                continue;
            }
            var columns = table.Columns.Where(c => c.Name != PartitionColumn).ToList();
            var snapshots = warehouse.Query($"SELECT DISTINCT snapshot FROM {table.Name} ORDER BY 1", r => r.GetString(0));
            foreach (var snapshot in snapshots)
            {
                string partition = Path.Combine(tableDirectory, $"{PartitionColumn}={snapshot}");
                Directory.CreateDirectory(partition);
                written.Add(await WriteAsync(table, columns, snapshot, Path.Combine(partition, "part-0.parquet"), ct));
            }
        }
        return written;
    }

    private async Task<string> WriteAsync(WarehouseTable table, IReadOnlyList<Column> columns, string? snapshot, string path, CancellationToken ct)
    {
        string where = snapshot is null ? "" : $" WHERE {PartitionColumn} = ?";
        string sql = $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Name)))} FROM {table.Name}{where}";
        var rows = snapshot is null
            ? warehouse.Query(sql, ReadRow(columns.Count))
            : warehouse.Query(sql, ReadRow(columns.Count), snapshot);
        var fields = columns.Select(FieldOf).ToArray();
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file,
            new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, UseDateOnlyTypeForDates = true }, cancellationToken: ct);
        using var group = writer.CreateRowGroup();
        for (int i = 0; i < columns.Count; i++)
            await WriteColumnAsync(group, fields[i], columns[i].Type, rows, i, ct);
        return path;
    }

    private static Func<DuckDB.NET.Data.DuckDBDataReader, object?[]> ReadRow(int count) => r =>
    {
        var values = new object?[count];
        for (int i = 0; i < count; i++) values[i] = r.IsDBNull(i) ? null : r.GetValue(i);
        return values;
    };

    private static DataField FieldOf(Column column) => column.Type switch
    {
        "VARCHAR" => new DataField<string>(column.Name, true),
        "BIGINT" => new DataField<long?>(column.Name),
        "INTEGER" => new DataField<int?>(column.Name),
        "DOUBLE" => new DataField<double?>(column.Name),
        "BOOLEAN" => new DataField<bool?>(column.Name),
        "DATE" => new DataField<DateOnly?>(column.Name),
        _ => throw new NotSupportedException($"column {column.Name}: DuckDB type {column.Type} has no Parquet mapping"),
    };

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, string type, List<object?[]> rows, int i, CancellationToken ct) => type switch
    {
        "VARCHAR" => group.WriteAsync(field, rows.Select(r => (string)r[i]!).ToArray(), null),
        "BIGINT" => group.WriteAsync<long>(field, rows.Select(r => r[i] is null ? (long?)null : Convert.ToInt64(r[i])).ToArray(), null, null, ct),
        "INTEGER" => group.WriteAsync<int>(field, rows.Select(r => r[i] is null ? (int?)null : Convert.ToInt32(r[i])).ToArray(), null, null, ct),
        "DOUBLE" => group.WriteAsync<double>(field, rows.Select(r => r[i] is null ? (double?)null : Convert.ToDouble(r[i])).ToArray(), null, null, ct),
        "BOOLEAN" => group.WriteAsync<bool>(field, rows.Select(r => (bool?)r[i]).ToArray(), null, null, ct),
        "DATE" => group.WriteAsync<DateOnly>(field, rows.Select(r => r[i] switch
        {
            null => (DateOnly?)null,
            DateOnly d => d,
            DateTime t => DateOnly.FromDateTime(t),
            var other => DateOnly.Parse(other.ToString()!),
        }).ToArray(), null, null, ct),
        _ => throw new NotSupportedException(type),
    };

    private static string Quote(string name) => $"\"{name}\"";
}
