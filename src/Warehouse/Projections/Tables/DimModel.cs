using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class DimModel
{
    private const string NameCount = "STRUCT(\"name\" VARCHAR, count BIGINT)[]";
    private const string Tensors = "STRUCT(\"name\" VARCHAR, shape BIGINT[], dim_names VARCHAR[], dtype VARCHAR)[]";

    public static readonly DerivedTable Table = new("dim_model",
        "A unique model (by sha256): where it ships and what its latest dissection found.", Scope.Model,
        [
            new("sha256", "VARCHAR", "sha256 of the model bytes"),
            new("format", "VARCHAR", "model format (in the latest snapshot it ships in)"),
            new("bytes", "BIGINT", "size in bytes"),
            new("encrypted", "BOOLEAN", "every file of it is encrypted"),
            new("app_count", "BIGINT", "apps shipping it, over all snapshots (reuse)"),
            new("file_count", "BIGINT", "model files with these bytes, over all snapshots"),
            new("first_snapshot", "VARCHAR", "earliest snapshot it ships in"),
            new("last_snapshot", "VARCHAR", "latest snapshot it ships in"),
            new("first_seen", "DATE", "capture date of the first snapshot it ships in"),
            new("analyser_version", "INTEGER", "analyser version of the dissection shown"),
            new("params", "BIGINT", "parameters (DEFINITIONS.md)"),
            new("macs", "BIGINT", "multiply-accumulates of one inference, known nodes only"),
            new("macs_unknown_nodes", "BIGINT", "nodes whose MACs could not be inferred"),
            new("macs_unknown", "STRUCT(node VARCHAR, op VARCHAR, reason VARCHAR)[]", "each node whose MACs could not be inferred, and why"),
            new("flops", "BIGINT", "2 x MACs"),
            new("quantized", "BOOLEAN", "weights are quantised (DEFINITIONS.md)"),
            new("layers", "INTEGER", "operators in the graph"),
            new("ops", NameCount, "operator histogram"),
            new("weight_dtypes", NameCount, "weight tensors per dtype"),
            new("inputs", Tensors, "declared inputs (unknown dims null; dim_names: the symbols the file gives them, e.g. batch)"),
            new("outputs", Tensors, "declared outputs"),
            new("metadata", "MAP(VARCHAR, VARCHAR)", "metadata the file states (producer, opsets, TFLite metadata, ...)"),
            new("arch_fingerprint", "VARCHAR", "hash of the architecture without weights: same = same network"),
            new("task", "VARCHAR", "inferred task"),
            new("task_rule", "VARCHAR", "the rule that chose the task"),
            new("dissection_error", "VARCHAR", "why the latest dissection failed"),
        ],
        ctx => $"""
            WITH files AS (SELECT m.sha256, arg_max(m.format, s.ord) AS format, any_value(m.bytes) AS bytes,
                                  bool_and(m.encrypted) AS encrypted, count(DISTINCT m.package) AS app_count, count(*) AS file_count,
                                  arg_min(m.snapshot, s.ord) AS first_snapshot, arg_max(m.snapshot, s.ord) AS last_snapshot,
                                  min(s.captured_at) AS first_seen
                           FROM {ctx.Table(FactAppModel.Table)} m JOIN ({AppSql.SnapshotRanks(ctx)}) s USING (snapshot)
                           WHERE {ctx.In(Scope.Model, "m.sha256")} GROUP BY m.sha256),
            outcomes AS (SELECT sha256, analyser_version, seq, NULL AS reason
                         FROM {ctx.Events(ModelDissectedTable.Table)} WHERE {ctx.In(Scope.Model, "sha256")}
                         UNION ALL
                         SELECT sha256, analyser_version, seq, reason
                         FROM {ctx.Events(ModelDissectionFailedTable.Table)} WHERE {ctx.In(Scope.Model, "sha256")}),
            latest AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY sha256 ORDER BY analyser_version DESC, seq DESC) AS rn
                                      FROM outcomes) WHERE rn = 1)
            SELECT f.sha256, f.format, f.bytes, f.encrypted, f.app_count, f.file_count, f.first_snapshot, f.last_snapshot,
                   f.first_seen, l.analyser_version, d.params, d.macs, d.macs_unknown_nodes,
                   list_transform(range(1, len(d.unknown_nodes) + 1),
                                  i -> struct_pack(node := d.unknown_nodes[i], op := d.unknown_ops[i], reason := d.unknown_reasons[i])) AS macs_unknown,
                   2 * d.macs AS flops, d.quantized,
                   d.layers,
                   list_transform(range(1, len(d.op_names) + 1), i -> struct_pack(name := d.op_names[i], count := d.op_counts[i])) AS ops,
                   list_transform(range(1, len(d.dtype_names) + 1), i -> struct_pack(name := d.dtype_names[i], count := d.dtype_counts[i])) AS weight_dtypes,
                   list_transform(range(1, len(d.input_names) + 1),
                                  i -> struct_pack(name := d.input_names[i], shape := d.input_shapes[i], dim_names := d.input_dim_names[i], dtype := d.input_dtypes[i])) AS inputs,
                   list_transform(range(1, len(d.output_names) + 1),
                                  i -> struct_pack(name := d.output_names[i], shape := d.output_shapes[i], dim_names := d.output_dim_names[i], dtype := d.output_dtypes[i])) AS outputs,
                   CASE WHEN d.seq IS NOT NULL THEN map(d.metadata_keys, d.metadata_values) END AS metadata,
                   d.arch_fingerprint, d.task, d.task_rule, l.reason AS dissection_error
            FROM files f LEFT JOIN latest l USING (sha256)
            LEFT JOIN {ctx.Events(ModelDissectedTable.Table)} d ON d.seq = l.seq
            """);
}
