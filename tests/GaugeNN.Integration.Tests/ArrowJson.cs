using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// Arrow values as JSON, and one canonical text for JSON from DuckDB's <c>to_json</c> or from Arrow, so that rows of
/// nested columns compare cell by cell: numbers by value, objects by key, dates and timestamps as instants.
/// </summary>
public static class ArrowJson
{
    public static JsonNode? Value(IArrowArray array, int row)
    {
        if (array.IsNull(row)) return null;
        return array switch
        {
            StringArray a => a.GetString(row),
            Int64Array a => a.GetValue(row),
            Int32Array a => a.GetValue(row),
            DoubleArray a => a.GetValue(row),
            BooleanArray a => a.GetValue(row),
            Date32Array a => a.GetDateOnly(row)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimestampArray a => a.GetTimestamp(row)!.Value.ToString("O", CultureInfo.InvariantCulture),
            MapArray a => Map(a, row),
            ListArray a => new JsonArray(Enumerable.Range(a.ValueOffsets[row], a.GetValueLength(row)).Select(i => Value(a.Values, i)).ToArray()),
            StructArray a => new JsonObject(((Apache.Arrow.Types.StructType)a.Data.DataType).Fields
                .Select((f, i) => KeyValuePair.Create(f.Name, Value(a.Fields[i], row)))),
            _ => throw new NotSupportedException(array.GetType().Name),
        };
    }

    private static JsonObject Map(MapArray map, int row)
    {
        var result = new JsonObject();
        for (int i = map.ValueOffsets[row]; i < map.ValueOffsets[row + 1]; i++)
            result[((StringArray)map.Keys).GetString(i)] = Value(map.Values, i);
        return result;
    }

    public static string Canonical(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonArray array:
                text.Append('[');
                foreach (var item in array) { Write(item, text); text.Append(','); }
                text.Append(']');
                break;
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal)) { text.Append(key).Append(':'); Write(value, text); text.Append(','); }
                text.Append('}');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                text.Append(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                // Dates and times as instants: readers spell them differently (2020-02-01, 2020-02-01T00:00:00.000Z).
                string s = value.GetValue<string>();
                text.Append(s.Length >= 10 && char.IsAsciiDigit(s[0]) && s[4] == '-'
                            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
                    ? instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : JsonSerializer.Serialize(s));
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }
}
