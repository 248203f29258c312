using DuckDB.NET.Data;

namespace GaugeNN.Warehouse.Read;

/// <summary>Small pieces every reader writes the same way: batches of keys as SQL literals, nullable column reads.</summary>
internal static class Sql
{
    /// <summary>A batch of keys as an SQL list of literals (keys are ids, packages and sha256s; quotes are doubled all the same).</summary>
    public static string Literals(IEnumerable<string> values)
    {
        var list = values.Distinct(StringComparer.Ordinal).Select(Literal).ToList();
        return list.Count == 0 ? "(NULL)" : "(" + string.Join(", ", list) + ")";
    }

    /// <summary>(snapshot, package) keys as a VALUES table named <paramref name="alias"/>(snapshot, package).</summary>
    public static string AppKeys(IEnumerable<(string Snapshot, string Package)> keys, string alias)
    {
        var rows = keys.Distinct().Select(k => $"({Literal(k.Snapshot)}, {Literal(k.Package)})").ToList();
        return rows.Count == 0
            ? $"(SELECT NULL::VARCHAR AS snapshot, NULL::VARCHAR AS package WHERE false) {alias}"
            : $"(VALUES {string.Join(", ", rows)}) {alias}(snapshot, package)";
    }

    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    public static string? S(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static int? I(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i));
    public static long? L(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i));
    public static double? D(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i));
    public static bool? B(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);
    public static long Long(DuckDBDataReader r, int i) => Convert.ToInt64(r.GetValue(i));
}
