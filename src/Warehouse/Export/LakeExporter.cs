using System.Text;
using System.Text.Json;
using GaugeNN.Warehouse.Files;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Export;

public enum LakeFormat
{
    Parquet,
    Arrow,
}

/// <summary>What an export wrote: files rewritten, files left as they were (incremental), partitions removed.</summary>
public sealed record ExportReport(string Directory, LakeFormat Format, long Checkpoint, int Written, int Unchanged, int Removed, IReadOnlyList<string> Files);

/// <summary>
/// Writes every derived table as a dataset: <c>OUT/table/snapshot=ID/part-0.ext</c> (hive layout, the partition value
/// percent-escaped) for tables with a snapshot partition, <c>OUT/table/part-0.ext</c> otherwise. Parquet is written by
/// DuckDB's own <c>COPY</c> (zstd, typed: DATE, TIMESTAMP, LIST, STRUCT, MAP; chosen by measurement, see
/// docs/benchmarks.md), with the lake version in each file's key-value metadata; Arrow IPC by <see cref="ArrowFiles"/>.
/// Rows are written in a total order, so the same tables give byte-identical files. An empty table still gets a file
/// with its schema (a partitioned one under <c>snapshot=__HIVE_DEFAULT_PARTITION__</c>, the hive convention for "no
/// value"). Files are written beside their target and renamed into place: a killed export never leaves half a file.
/// <c>_lake.json</c> records each partition's row digest, so an incremental export rewrites only what changed.
/// </summary>
public sealed class LakeExporter(DuckDbWarehouse warehouse)
{
    public const string ManifestName = "_lake.json";
    public const string EmptyPartition = "__HIVE_DEFAULT_PARTITION__";

    private sealed record Manifest(int LakeVersion, string Format, long Checkpoint, Dictionary<string, string> Partitions);

    public ExportReport Export(string outDirectory, LakeFormat format, long checkpoint, bool incremental, CancellationToken ct)
    {
        string root = Path.GetFullPath(outDirectory);
        Directory.CreateDirectory(root);
        RemoveTemporaryFilesOfDeadExports(root);
        string extension = format == LakeFormat.Parquet ? "parquet" : "arrow";
        var previous = incremental ? ReadManifest(root, format) : null;
        var digests = new Dictionary<string, string>();
        var files = new List<string>();
        int written = 0, unchanged = 0, removed = 0;
        foreach (var table in WarehouseSchema.Tables)
        {
            string tableDirectory = SafePath.Under(root, table.Name);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var partition in Partitions(table))
            {
                ct.ThrowIfCancellationRequested();
                string relative = partition.Folder is null ? table.Name : $"{table.Name}/{partition.Folder}";
                string file = partition.Folder is null
                    ? SafePath.Under(root, table.Name, $"part-0.{extension}")
                    : SafePath.Under(root, table.Name, partition.Folder, $"part-0.{extension}");
                expected.Add(Path.GetDirectoryName(file)!);
                string digest = Digest(table, partition);
                digests[relative] = digest;
                files.Add(file);
                if (previous?.Partitions.GetValueOrDefault(relative) == digest && File.Exists(file))
                {
                    unchanged++;
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                string temporary = file + $".{Environment.ProcessId}.tmp";
                if (format == LakeFormat.Parquet) WriteParquet(table, partition, temporary);
                else ArrowFiles.Write(warehouse, table, PartitionQuery(table, partition, withPartitionColumn: false), temporary);
                File.Move(temporary, file, overwrite: true);
                written++;
            }
            removed += RemoveStalePartitions(tableDirectory, expected, extension);
        }
        var manifest = new Manifest(WarehouseSchema.LakeVersion, extension, checkpoint, digests);
        string manifestFile = SafePath.Under(root, ManifestName);
        File.WriteAllText($"{manifestFile}.{Environment.ProcessId}.tmp", JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        File.Move($"{manifestFile}.{Environment.ProcessId}.tmp", manifestFile, overwrite: true);
        return new ExportReport(root, format, checkpoint, written, unchanged, removed, files);
    }

    /// <summary>A partition to write: the whole table (folder null), one snapshot, or the empty placeholder.</summary>
    private sealed record Partition(string? Folder, string? Value);

    private IEnumerable<Partition> Partitions(DerivedTable table)
    {
        if (table.PartitionColumn is not { } column)
        {
            yield return new Partition(null, null);
            yield break;
        }
        var values = warehouse.Query($"SELECT DISTINCT \"{column}\" FROM {table.Name} ORDER BY 1", r => r.GetString(0));
        if (values.Count == 0) yield return new Partition($"{column}={EmptyPartition}", null);
        foreach (var value in values) yield return new Partition($"{column}={HiveEscape(value)}", value);
    }

    /// <summary>The partition's rows in a total order; the partition column lives in the path, not in the file.</summary>
    private static string PartitionQuery(DerivedTable table, Partition partition, bool withPartitionColumn)
    {
        var columns = table.Columns.Where(c => withPartitionColumn || c.Name != table.PartitionColumn).Select(c => $"\"{c.Name}\"");
        string where = table.PartitionColumn is null ? "" : partition.Value is null ? " WHERE false" : $" WHERE \"{table.PartitionColumn}\" = {Literal(partition.Value)}";
        return $"SELECT {string.Join(", ", columns)} FROM {table.Name}{where} ORDER BY ALL";
    }

    private void WriteParquet(DerivedTable table, Partition partition, string file) =>
        warehouse.Execute($$"""
            COPY ({{PartitionQuery(table, partition, withPartitionColumn: false)}}) TO {{Literal(file)}}
            (FORMAT parquet, COMPRESSION zstd, KV_METADATA {gaugenn_lake_version: '{{WarehouseSchema.LakeVersion}}', gaugenn_table: '{{table.Name}}'})
            """);

    private string Digest(DerivedTable table, Partition partition) =>
        warehouse.Scalar<string>($"SELECT count(*) || ':' || coalesce(bit_xor(hash(t)), 0) FROM ({PartitionQuery(table, partition, withPartitionColumn: true)}) t")!;

    /// <summary>Files an export killed half-way left beside their targets (<c>NAME.PID.tmp</c>, its process gone).</summary>
    private static void RemoveTemporaryFilesOfDeadExports(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*.tmp", SearchOption.AllDirectories))
        {
            var parts = Path.GetFileName(file).Split('.');
            if (parts.Length >= 3 && int.TryParse(parts[^2], out int pid) && pid != Environment.ProcessId && Directory.Exists($"/proc/{pid}")) continue;
            File.Delete(file);
        }
    }

    private static int RemoveStalePartitions(string tableDirectory, HashSet<string> expected, string extension)
    {
        if (!Directory.Exists(tableDirectory)) return 0;
        int removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(tableDirectory).Where(d => Path.GetFileName(d).Contains('=')))
            if (!expected.Contains(folder))
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
        string unpartitioned = Path.Combine(tableDirectory, $"part-0.{extension}");
        if (!expected.Contains(tableDirectory) && File.Exists(unpartitioned))
        {
            File.Delete(unpartitioned);
            removed++;
        }
        return removed;
    }

    private static Manifest? ReadManifest(string root, LakeFormat format)
    {
        string file = Path.Combine(root, ManifestName);
        if (!File.Exists(file)) return null;
        try
        {
            var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(file));
            bool sameFormat = manifest?.Format == (format == LakeFormat.Parquet ? "parquet" : "arrow");
            return manifest is not null && sameFormat && manifest.LakeVersion == WarehouseSchema.LakeVersion ? manifest : null;
        }
        catch (JsonException)
        {
            return null; // a damaged manifest only costs a full rewrite
        }
    }

    /// <summary>Hive's escaping of a partition value: characters unsafe in a path or a key=value pair become %XX.</summary>
    public static string HiveEscape(string value)
    {
        var text = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ) text.Append(c);
            else text.Append('%').Append(b.ToString("X2"));
        }
        return text.ToString();
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";
}
