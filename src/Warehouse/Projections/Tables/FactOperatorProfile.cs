using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactOperatorProfile
{
    public static readonly DerivedTable Table = new("fact_operator_profile",
        "One operator's timings in an op-profiling run (the latest profile of the run), in run order.", Scope.Run,
        [
            new("run_id", "VARCHAR", "run id (fact_measurement.run_id)"),
            new("model_sha256", "VARCHAR", "the model"),
            new("device_id", "VARCHAR", "the device"),
            new("idx", "BIGINT", "position in run order"),
            new("node_type", "VARCHAR", "operator type"),
            new("name", "VARCHAR", "node name"),
            new("start_ms", "DOUBLE", "start offset within an inference, ms"),
            new("first_ms", "DOUBLE", "first run, ms"),
            new("avg_ms", "DOUBLE", "average, ms"),
            new("percent", "DOUBLE", "share of the inference, %"),
            new("cdf_percent", "DOUBLE", "cumulative share, %"),
            new("mem_kb", "DOUBLE", "memory, KB"),
            new("times_called", "BIGINT", "calls per inference"),
        ],
        ctx => $"""
            SELECT run_id, model_sha256, device_id, unnest(op_index) AS idx, unnest(op_node_type) AS node_type,
                   unnest(op_name) AS name, unnest(op_start_ms) AS start_ms, unnest(op_first_ms) AS first_ms,
                   unnest(op_avg_ms) AS avg_ms, unnest(op_percent) AS percent, unnest(op_cdf_percent) AS cdf_percent,
                   unnest(op_mem_kb) AS mem_kb, unnest(op_times_called) AS times_called
            FROM (SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY seq DESC) AS rn
                  FROM {ctx.Events(OperatorProfileRecordedTable.Table)} WHERE {ctx.In(Scope.Run, "run_id")})
            WHERE rn = 1
            """);
}
