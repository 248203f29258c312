using System.Security.Cryptography;
using System.Text;
using GaugeNN.Warehouse.Projections.Events;
using GaugeNN.Warehouse.Projections.Tables;

namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// Every table of the warehouse: one event table per catalogued event type, then the derived tables in build order
/// (later ones read earlier ones). The derived tables are the analyst-facing star schema and the lake's datasets.
/// </summary>
public static class WarehouseSchema
{
    /// <summary>Raised whenever a derived table's columns change; written into every Parquet file's metadata.</summary>
    public const int LakeVersion = 2;

    public static readonly IReadOnlyList<IEventTable> EventTables =
    [
        SnapshotOpenedTable.Table, AppListedTable.Table, ApkScannedTable.Table, ModelFileFoundTable.Table,
        FrameworkEvidenceFoundTable.Table, AppScanFailedTable.Table, ModelDissectedTable.Table,
        ModelDissectionFailedTable.Table, DeviceRegisteredTable.Table, BenchmarkPlannedTable.Table,
        MeasurementRecordedTable.Table, EnergyMeasuredTable.Table, OperatorProfileRecordedTable.Table,
        BenchmarkFailedTable.Table,
    ];

    public static readonly IReadOnlyList<DerivedTable> Tables =
    [
        FactAppModel.Table, FactFrameworkEvidence.Table, FactScanFailure.Table, FactAppSnapshot.Table,
        DimSnapshot.Table, DimApp.Table, DimModel.Table, FactModelChurn.Table, FactAppChurn.Table,
        DimDevice.Table, FactMeasurement.Table, FactOperatorProfile.Table, FactBenchmarkFailure.Table,
    ];

    /// <summary>The tables a snapshot-level question reads: what "as of" recomputes.</summary>
    public static readonly IReadOnlyList<DerivedTable> AppTables =
        Tables.Where(t => t.Scope is Scope.App or Scope.Snapshot or Scope.Package or Scope.Model or Scope.Pair).ToList();

    private static readonly Dictionary<Type, IEventTable> ByEventType = EventTables.ToDictionary(t => t.EventType);

    public static IEventTable? For(Type eventType) => ByEventType.GetValueOrDefault(eventType);

    public static DerivedTable Table(string name) =>
        Tables.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no warehouse table is named '{name}'");

    /// <summary>An event table's DDL.</summary>
    public static string EventTableDdl(IEventTable table) =>
        $"CREATE TABLE IF NOT EXISTS {table.Name}({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\" {c.Type}"))})";

    /// <summary>Changes when an event table's DDL changes (a column added, renamed or retyped): its stored rows are then replayed.</summary>
    public static readonly string EventTablesDigest = Digest(string.Join('\n', EventTables.Select(EventTableDdl)));

    /// <summary>Changes when a derived table's columns or SQL change: the derived tables must then be recomputed.</summary>
    public static readonly string TablesDigest = Digest(string.Join('\n',
        Tables.Select(t => $"{t.Name}|{string.Join(',', t.Columns.Select(c => c.Name + " " + c.Type))}|{t.Select(SqlContext.Current(full: true))}")));

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
