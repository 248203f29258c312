using GaugeNN.Warehouse.Projections;
using Parquet;
using Parquet.Schema;

namespace GaugeNN.Warehouse.Export;

/// <summary>
/// Writes every warehouse table as a Parquet dataset (zstd): <c>OUT/table/snapshot=ID/part-0.parquet</c> for tables
/// with a snapshot, <c>OUT/table/part-0.parquet</c> otherwise. Parquet schemas come from the tables' one declaration
/// in <see cref="WarehouseTables"/>.
/// </summary>
public sealed class ParquetExporter(DuckDbWarehouse warehouse)
{
    public async Task<IReadOnlyList<string>> ExportAsync(string outDirectory, CancellationToken ct)
    {
        var written = new List<string>();
        foreach (var partition in TablePartition.ReadAll(warehouse, outDirectory))
        {
            string path = Path.Combine(outDirectory, partition.RelativeDirectory, "part-0.parquet");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fields = partition.Columns.Select(FieldOf).ToArray();
            await using (var file = File.Create(path))
            await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file,
                new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, UseDateOnlyTypeForDates = true }, cancellationToken: ct))
            using (var group = writer.CreateRowGroup())
            {
                for (int i = 0; i < fields.Length; i++)
                    await WriteColumnAsync(group, fields[i], partition.Columns[i].Type, partition.Rows, i, ct);
            }
            written.Add(path);
        }
        return written;
    }

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
        "BIGINT" => group.WriteAsync<long>(field, rows.Select(r => (long?)r[i]).ToArray(), null, null, ct),
        "INTEGER" => group.WriteAsync<int>(field, rows.Select(r => (int?)r[i]).ToArray(), null, null, ct),
        "DOUBLE" => group.WriteAsync<double>(field, rows.Select(r => (double?)r[i]).ToArray(), null, null, ct),
        "BOOLEAN" => group.WriteAsync<bool>(field, rows.Select(r => (bool?)r[i]).ToArray(), null, null, ct),
        "DATE" => group.WriteAsync<DateOnly>(field, rows.Select(r => (DateOnly?)r[i]).ToArray(), null, null, ct),
        _ => throw new NotSupportedException(type),
    };
}
