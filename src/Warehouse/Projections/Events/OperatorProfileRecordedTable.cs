using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="OperatorProfileRecorded"/>: per-operator timings of a run, as parallel lists in run order.</summary>
public static class OperatorProfileRecordedTable
{
    public static readonly EventTable<OperatorProfileRecorded> Table = new("ev_operator_profile_recorded",
        (e, changes) => changes.Runs.Add(e.RunId),
        Col<OperatorProfileRecorded>.Text("run_id", e => e.RunId),
        Col<OperatorProfileRecorded>.Text("model_sha256", e => e.ModelSha256),
        Col<OperatorProfileRecorded>.Text("device_id", e => e.DeviceId),
        Col<OperatorProfileRecorded>.Int64s("op_index", e => e.Operators.Select(o => (long)o.Index)),
        Col<OperatorProfileRecorded>.Texts("op_node_type", e => e.Operators.Select(o => o.NodeType)),
        Col<OperatorProfileRecorded>.Texts("op_name", e => e.Operators.Select(o => o.Name)),
        Col<OperatorProfileRecorded>.Doubles("op_start_ms", e => e.Operators.Select(o => o.StartMs)),
        Col<OperatorProfileRecorded>.Doubles("op_first_ms", e => e.Operators.Select(o => o.FirstMs)),
        Col<OperatorProfileRecorded>.Doubles("op_avg_ms", e => e.Operators.Select(o => (double?)o.AvgMs)),
        Col<OperatorProfileRecorded>.Doubles("op_percent", e => e.Operators.Select(o => o.Percent)),
        Col<OperatorProfileRecorded>.Doubles("op_cdf_percent", e => e.Operators.Select(o => o.CdfPercent)),
        Col<OperatorProfileRecorded>.Doubles("op_mem_kb", e => e.Operators.Select(o => o.MemKb)),
        Col<OperatorProfileRecorded>.OptionalInt64s("op_times_called", e => e.Operators.Select(o => o.TimesCalled)));
}
