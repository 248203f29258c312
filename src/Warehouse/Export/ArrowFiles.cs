using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Export;

/// <summary>
/// Writes a query's rows as one Arrow IPC file (the random-access "Feather v2" format) with the table's declared
/// types, nested ones included (LIST, STRUCT, MAP). Nested values leave DuckDB as JSON and are rebuilt bottom-up
/// into Arrow arrays; scalars are read as they are.
/// </summary>
public static class ArrowFiles
{
    public static void Write(DuckDbWarehouse warehouse, DerivedTable table, string query, string file)
    {
        var columns = warehouse.Query($"DESCRIBE {query}", r => (Name: r.GetString(0), Type: DuckDbType.Parse(r.GetString(1))));
        string select = string.Join(", ", columns.Select(c => c.Type.IsNested ? $"CAST(to_json(\"{c.Name}\") AS VARCHAR)" : $"\"{c.Name}\""));
        var values = columns.Select(_ => new List<object?>()).ToList();
        warehouse.Query($"SELECT {select} FROM ({query})", r =>
        {
            for (int i = 0; i < columns.Count; i++)
                values[i].Add(r.IsDBNull(i) ? null : columns[i].Type.IsNested ? JsonNode.Parse(r.GetString(i)) : r.GetValue(i));
            return 0;
        });
        var schema = new Schema.Builder();
        var arrays = new List<IArrowArray>();
        for (int i = 0; i < columns.Count; i++)
        {
            var array = Build(columns[i].Type, values[i]);
            schema.Field(new Field(columns[i].Name, array.Data.DataType, nullable: true));
            arrays.Add(array);
        }
        int length = values.Count == 0 ? 0 : values[0].Count;
        var batch = new RecordBatch(schema.Build(), arrays, length);
        using var stream = File.Create(file);
        using var writer = new ArrowFileWriter(stream, batch.Schema);
        writer.WriteRecordBatch(batch);
        writer.WriteEnd();
    }

    public static IArrowType ArrowTypeOf(DuckDbType type) => type switch
    {
        DuckDbType.Scalar { Name: "VARCHAR" } => StringType.Default,
        DuckDbType.Scalar { Name: "BIGINT" } => Int64Type.Default,
        DuckDbType.Scalar { Name: "INTEGER" } => Int32Type.Default,
        DuckDbType.Scalar { Name: "DOUBLE" } => DoubleType.Default,
        DuckDbType.Scalar { Name: "BOOLEAN" } => BooleanType.Default,
        DuckDbType.Scalar { Name: "DATE" } => Date32Type.Default,
        DuckDbType.Scalar { Name: "TIMESTAMP WITH TIME ZONE" } => new TimestampType(TimeUnit.Microsecond, "UTC"),
        DuckDbType.ListOf list => new ListType(new Field("item", ArrowTypeOf(list.Item), true)),
        DuckDbType.StructOf s => new StructType(s.Fields.Select(f => new Field(f.Name, ArrowTypeOf(f.Type), true)).ToList()),
        DuckDbType.MapOf m => new MapType(new Field("key", ArrowTypeOf(m.Key), false), new Field("value", ArrowTypeOf(m.Value), true)),
        _ => throw new NotSupportedException($"DuckDB type {type} has no Arrow mapping"),
    };

    private static IArrowArray Build(DuckDbType type, IReadOnlyList<object?> values)
    {
        switch (type)
        {
            case DuckDbType.ListOf list:
            {
                var offsets = new ArrowBuffer.Builder<int>();
                var children = new List<object?>();
                offsets.Append(0);
                foreach (var v in values)
                {
                    if (v is JsonArray items) children.AddRange(items.Select(x => (object?)x));
                    offsets.Append(children.Count);
                }
                return new ListArray(ArrowTypeOf(type), values.Count, offsets.Build(), Build(list.Item, children), Validity(values), NullCount(values));
            }
            case DuckDbType.StructOf s:
            {
                var children = s.Fields.Select(f => Build(f.Type, values.Select(v => (object?)(v as JsonObject)?[f.Name]).ToList())).ToList();
                return new StructArray(ArrowTypeOf(type), values.Count, children, Validity(values), NullCount(values));
            }
            case DuckDbType.MapOf m:
            {
                var offsets = new ArrowBuffer.Builder<int>();
                var keys = new List<object?>();
                var items = new List<object?>();
                offsets.Append(0);
                foreach (var v in values)
                {
                    if (v is JsonObject map)
                        foreach (var (key, value) in map)
                        {
                            keys.Add(JsonValue.Create(key));
                            items.Add(value);
                        }
                    offsets.Append(keys.Count);
                }
                var mapType = (MapType)ArrowTypeOf(type);
                var entries = new StructArray(mapType.KeyValueType, keys.Count, [Build(m.Key, keys), Build(m.Value, items)],
                    ArrowBuffer.Empty, 0);
                return new MapArray(mapType, values.Count, offsets.Build(), entries, Validity(values), NullCount(values));
            }
            case DuckDbType.Scalar scalar:
                return BuildScalar(scalar, values);
            default:
                throw new NotSupportedException($"DuckDB type {type} has no Arrow mapping");
        }
    }

    private static IArrowArray BuildScalar(DuckDbType.Scalar type, IReadOnlyList<object?> values) => type.Name switch
    {
        "VARCHAR" => Fill(new StringArray.Builder(), values, (b, v) => b.Append(v is JsonNode n ? n.GetValue<string>() : (string)v), b => b.AppendNull()).Build(),
        "BIGINT" => Fill(new Int64Array.Builder(), values, (b, v) => b.Append(v is JsonNode n ? n.GetValue<long>() : Convert.ToInt64(v)), b => b.AppendNull()).Build(),
        "INTEGER" => Fill(new Int32Array.Builder(), values, (b, v) => b.Append(v is JsonNode n ? n.GetValue<int>() : Convert.ToInt32(v)), b => b.AppendNull()).Build(),
        "DOUBLE" => Fill(new DoubleArray.Builder(), values, (b, v) => b.Append(v is JsonNode n ? n.GetValue<double>() : Convert.ToDouble(v)), b => b.AppendNull()).Build(),
        "BOOLEAN" => Fill(new BooleanArray.Builder(), values, (b, v) => b.Append(v is JsonNode n ? n.GetValue<bool>() : (bool)v), b => b.AppendNull()).Build(),
        "DATE" => Fill(new Date32Array.Builder(), values, (b, v) => b.Append(DuckDbWarehouse.DateOf(v)), b => b.AppendNull()).Build(),
        "TIMESTAMP WITH TIME ZONE" => Fill(new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")), values,
            (b, v) => b.Append(v is DateTimeOffset o ? o : new DateTimeOffset(DateTime.SpecifyKind((DateTime)v, DateTimeKind.Utc))), b => b.AppendNull()).Build(),
        _ => throw new NotSupportedException($"DuckDB type {type.Name} has no Arrow mapping"),
    };

    private static TBuilder Fill<TBuilder>(TBuilder builder, IReadOnlyList<object?> values, Action<TBuilder, object> append, Action<TBuilder> appendNull)
    {
        foreach (var v in values)
        {
            if (v is null) appendNull(builder);
            else append(builder, v);
        }
        return builder;
    }

    private static ArrowBuffer Validity(IReadOnlyList<object?> values)
    {
        var bitmap = new ArrowBuffer.BitmapBuilder(values.Count);
        foreach (var v in values) bitmap.Append(v is not null);
        return bitmap.Build();
    }

    private static int NullCount(IReadOnlyList<object?> values) => values.Count(v => v is null);
}
