using System.Security.Cryptography;
using GaugeNN.Ingest.Listing;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>
/// What a data folder's DuckDB warehouse and an exported lake hold, read directly: the DuckDB file opened read-only
/// (only when no gaugenn process holds it), the Parquet files by their bytes and, for counts, through DuckDB's reader.
/// </summary>
public static class WarehouseState
{
    public static string DuckDbFile(string home) => Path.Combine(home, "warehouse.duckdb");

    /// <summary>Every row of every derived table, each table in a total order, as JSON text.</summary>
    public static Dictionary<string, List<string>> DumpTables(string home)
    {
        using var warehouse = DuckDbWarehouse.Open(DuckDbFile(home), readOnly: true);
        return WarehouseSchema.Tables.ToDictionary(t => t.Name, t => warehouse.Query(
            $"SELECT CAST(to_json(x) AS VARCHAR) FROM (SELECT * FROM {t.Name}) x ORDER BY ALL", r => r.GetString(0)));
    }

    /// <summary>The rows of one table whose <paramref name="column"/> is one of <paramref name="values"/>, ordered.</summary>
    public static List<string> Rows(string home, string table, string column, IEnumerable<string> values)
    {
        using var warehouse = DuckDbWarehouse.Open(DuckDbFile(home), readOnly: true);
        string list = string.Join(", ", values.Select(v => "'" + v.Replace("'", "''") + "'"));
        return warehouse.Query($"SELECT CAST(to_json(x) AS VARCHAR) FROM (SELECT * FROM {WarehouseSchema.Table(table).Name} WHERE \"{column}\" IN ({list})) x ORDER BY ALL",
            r => r.GetString(0));
    }

    /// <summary>The event sequence number the warehouse has applied everything up to.</summary>
    public static long Checkpoint(string home)
    {
        using var warehouse = DuckDbWarehouse.Open(DuckDbFile(home), readOnly: true);
        return new Projector(warehouse).Checkpoint;
    }

    /// <summary>Apps of a snapshot in the warehouse (rows of fact_app_snapshot).</summary>
    public static long Apps(string home, string snapshot)
    {
        using var warehouse = DuckDbWarehouse.Open(DuckDbFile(home), readOnly: true);
        return warehouse.Scalar<long>("SELECT count(*) FROM fact_app_snapshot WHERE snapshot = ?", snapshot);
    }

    /// <summary>The packages of a snapshot's apps, with whether their files were scanned.</summary>
    public static Dictionary<string, bool> Packages(string home, string snapshot)
    {
        using var warehouse = DuckDbWarehouse.Open(DuckDbFile(home), readOnly: true);
        return warehouse.Query("SELECT package, scanned FROM fact_app_snapshot WHERE snapshot = ?", r => (r.GetString(0), r.GetBoolean(1)), snapshot)
            .ToDictionary(p => p.Item1, p => p.Item2);
    }

    /// <summary>Failure rows of a snapshot's listing file itself: one per line that is no app.</summary>
    public static long ListingFailures(string home, string snapshot)
    {
        using var warehouse = DuckDbWarehouse.Open(DuckDbFile(home), readOnly: true);
        return warehouse.Scalar<long>("SELECT count(*) FROM fact_scan_failure WHERE snapshot = ? AND package = '' AND file = ?",
            snapshot, ListingReader.FileName);
    }

    /// <summary>Apps of a snapshot in an exported lake: the rows of its fact_app_snapshot partition.</summary>
    public static long AppsInLake(string lake, string snapshot)
    {
        string partition = Path.Combine(lake, "fact_app_snapshot", $"snapshot={LakeExporter.HiveEscape(snapshot)}", "part-0.parquet");
        if (!File.Exists(partition)) return 0;
        using var memory = DuckDbWarehouse.Open(":memory:");
        return memory.Scalar<long>("SELECT count(*) FROM read_parquet(?)", partition);
    }

    /// <summary>SHA-256 of every Parquet file of a lake, by path relative to it (the manifest, which records the checkpoint, aside).</summary>
    public static SortedDictionary<string, string> LakeDigests(string lake) =>
        new(Directory.EnumerateFiles(lake, "*.parquet", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(lake, f),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
}
