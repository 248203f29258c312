using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Warehouse.Read;

/// <summary>
/// One warehouse table (or one snapshot of it) as one file for a download: Parquet written by DuckDB's own COPY
/// (zstd, the lake's metadata), Arrow IPC by <see cref="ArrowFiles"/>; rows in a total order, the snapshot column kept.
/// </summary>
public sealed class TableFiles(ReaderLease lease)
{
    private readonly DuckDbWarehouse warehouse = lease.Warehouse;

    /// <summary>Whether the snapshot exists (a download of an unknown one is refused, not answered empty).</summary>
    public bool HasSnapshot(string snapshot) =>
        warehouse.Scalar<bool>($"SELECT EXISTS (SELECT 1 FROM {SqlContext.Main}.{Projections.Tables.DimSnapshot.Table.Name} WHERE snapshot = ?)", snapshot);

    public void Write(DerivedTable table, string? snapshot, LakeFormat format, string file)
    {
        if (snapshot is not null && table.PartitionColumn is null)
            throw new ArgumentException($"{table.Name} is not kept per snapshot", nameof(snapshot));
        string columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        string where = snapshot is null ? "" : $" WHERE \"{table.PartitionColumn}\" = {Sql.Literal(snapshot)}";
        string query = $"SELECT {columns} FROM {SqlContext.Main}.{table.Name}{where} ORDER BY ALL";
        if (format == LakeFormat.Arrow)
        {
            ArrowFiles.Write(warehouse, table, query, file);
            return;
        }
        warehouse.Execute($$"""
            COPY ({{query}}) TO {{Sql.Literal(file)}}
            (FORMAT parquet, COMPRESSION zstd, KV_METADATA {gaugenn_lake_version: '{{WarehouseSchema.LakeVersion}}', gaugenn_table: '{{table.Name}}'})
            """);
    }
}
