namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// A column of a warehouse table. Its DuckDB type is its one declaration: the DDL, the Parquet schema (DuckDB writes
/// it), the machine-readable schema in <c>schemas/warehouse/</c> and the docs all come from it.
/// </summary>
public sealed record Column(string Name, string Type, string Meaning);
