using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary>
/// <see cref="ModelDissected"/>: lists of name/count pairs and of tensors are kept as parallel lists (the appender
/// writes lists, not structs); the derived tables zip them into typed structs.
/// </summary>
public static class ModelDissectedTable
{
    public static readonly EventTable<ModelDissected> Table = new("ev_model_dissected",
        (e, changes) => changes.Models.Add(e.Sha256),
        Col<ModelDissected>.Text("sha256", e => e.Sha256),
        Col<ModelDissected>.Int32("analyser_version", e => e.AnalyserVersion),
        Col<ModelDissected>.Text("format", e => e.Format),
        Col<ModelDissected>.Int64("params", e => e.Params),
        Col<ModelDissected>.Int64("macs", e => e.Macs),
        Col<ModelDissected>.Int64("macs_unknown_nodes", e => e.MacsUnknownNodes),
        Col<ModelDissected>.Texts("unknown_nodes", e => e.MacsUnknown.Select(u => u.Node)),
        Col<ModelDissected>.Texts("unknown_ops", e => e.MacsUnknown.Select(u => u.Op)),
        Col<ModelDissected>.Texts("unknown_reasons", e => e.MacsUnknown.Select(u => u.Reason)),
        Col<ModelDissected>.Bool("quantized", e => e.Quantized),
        Col<ModelDissected>.Int32("layers", e => e.Layers),
        Col<ModelDissected>.Texts("op_names", e => e.Ops.Select(o => o.Name)),
        Col<ModelDissected>.Int64s("op_counts", e => e.Ops.Select(o => o.Count)),
        Col<ModelDissected>.Texts("dtype_names", e => e.WeightDtypes.Select(o => o.Name)),
        Col<ModelDissected>.Int64s("dtype_counts", e => e.WeightDtypes.Select(o => o.Count)),
        Col<ModelDissected>.Texts("input_names", e => e.Inputs.Select(t => t.Name)),
        Col<ModelDissected>.Int64Lists("input_shapes", e => e.Inputs.Select(t => t.Shape)),
        Col<ModelDissected>.TextLists("input_dim_names", e => e.Inputs.Select(t => t.DimNames)),
        Col<ModelDissected>.Texts("input_dtypes", e => e.Inputs.Select(t => t.Dtype)),
        Col<ModelDissected>.Texts("output_names", e => e.Outputs.Select(t => t.Name)),
        Col<ModelDissected>.Int64Lists("output_shapes", e => e.Outputs.Select(t => t.Shape)),
        Col<ModelDissected>.TextLists("output_dim_names", e => e.Outputs.Select(t => t.DimNames)),
        Col<ModelDissected>.Texts("output_dtypes", e => e.Outputs.Select(t => t.Dtype)),
        Col<ModelDissected>.Texts("metadata_keys", e => e.Metadata.Keys.Order(StringComparer.Ordinal)),
        Col<ModelDissected>.Texts("metadata_values", e => e.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)),
        Col<ModelDissected>.Text("arch_fingerprint", e => e.ArchFingerprint),
        Col<ModelDissected>.Text("task", e => e.Task),
        Col<ModelDissected>.Text("task_rule", e => e.TaskRule));
}
