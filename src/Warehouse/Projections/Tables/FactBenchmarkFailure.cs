using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactBenchmarkFailure
{
    public static readonly DerivedTable Table = new("fact_benchmark_failure",
        "A benchmark attempt that produced no measurement, with the runtime's own message.", Scope.Run,
        [
            new("run_id", "VARCHAR", "run id"),
            new("plan_id", "VARCHAR", "plan it belongs to"),
            new("model_sha256", "VARCHAR", "the model"),
            new("device_id", "VARCHAR", "the device"),
            new("runtime", "VARCHAR", "runtime"),
            new("backend", "VARCHAR", "backend"),
            new("threads", "INTEGER", "threads"),
            new("attempt", "INTEGER", "attempt number"),
            new("reason", "VARCHAR", "the runtime's message"),
            new("failed_at", "TIMESTAMP WITH TIME ZONE", "when"),
        ],
        ctx => $"""
            SELECT run_id, plan_id, model_sha256, device_id, runtime, backend, threads, attempt, reason, happened_at AS failed_at
            FROM {ctx.Events(BenchmarkFailedTable.Table)} WHERE {ctx.In(Scope.Run, "run_id")}
            """);
}
