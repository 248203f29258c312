using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using GaugeNN.Warehouse.Projections;
using Column = GaugeNN.Warehouse.Projections.Column;

namespace GaugeNN.Warehouse.Export;

/// <summary>
/// Writes every warehouse table as Arrow IPC files (the random-access "Feather v2" format) for bulk pulls, in the same
/// layout as the Parquet export: <c>OUT/table/snapshot=ID/part-0.arrow</c> or <c>OUT/table/part-0.arrow</c>.
/// </summary>
public sealed class ArrowExporter(DuckDbWarehouse warehouse)
{
    public async Task<IReadOnlyList<string>> ExportAsync(string outDirectory, CancellationToken ct)
    {
        var written = new List<string>();
        foreach (var partition in TablePartition.ReadAll(warehouse, outDirectory))
        {
            string path = Path.Combine(outDirectory, partition.RelativeDirectory, "part-0.arrow");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var batch = ToRecordBatch(partition);
            await using (var file = File.Create(path))
            using (var writer = new ArrowFileWriter(file, batch.Schema))
            {
                await writer.WriteRecordBatchAsync(batch, ct);
                await writer.WriteEndAsync(ct);
            }
            written.Add(path);
        }
        return written;
    }

    public static RecordBatch ToRecordBatch(TablePartition partition)
    {
        var schema = new Schema.Builder();
        var arrays = new List<IArrowArray>();
        for (int i = 0; i < partition.Columns.Count; i++)
        {
            var column = partition.Columns[i];
            var (type, array) = Build(column, partition.Rows, i);
            schema.Field(new Field(column.Name, type, nullable: true));
            arrays.Add(array);
        }
        return new RecordBatch(schema.Build(), arrays, partition.Rows.Count);
    }

    private static (IArrowType, IArrowArray) Build(Column column, List<object?[]> rows, int i) => column.Type switch
    {
        "VARCHAR" => (StringType.Default, Fill(new StringArray.Builder(), rows, i, (b, v) => b.Append((string)v), b => b.AppendNull()).Build()),
        "BIGINT" => (Int64Type.Default, Fill(new Int64Array.Builder(), rows, i, (b, v) => b.Append((long)v), b => b.AppendNull()).Build()),
        "INTEGER" => (Int32Type.Default, Fill(new Int32Array.Builder(), rows, i, (b, v) => b.Append((int)v), b => b.AppendNull()).Build()),
        "DOUBLE" => (DoubleType.Default, Fill(new DoubleArray.Builder(), rows, i, (b, v) => b.Append((double)v), b => b.AppendNull()).Build()),
        "BOOLEAN" => (BooleanType.Default, Fill(new BooleanArray.Builder(), rows, i, (b, v) => b.Append((bool)v), b => b.AppendNull()).Build()),
        "DATE" => (Date32Type.Default, Fill(new Date32Array.Builder(), rows, i, (b, v) => b.Append((DateOnly)v), b => b.AppendNull()).Build()),
        _ => throw new NotSupportedException($"column {column.Name}: DuckDB type {column.Type} has no Arrow mapping"),
    };

    private static TBuilder Fill<TBuilder>(TBuilder builder, List<object?[]> rows, int i, Action<TBuilder, object> append, Action<TBuilder> appendNull)
    {
        foreach (var row in rows)
        {
            if (row[i] is { } value) append(builder, value);
            else appendNull(builder);
        }
        return builder;
    }
}
