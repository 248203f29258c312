using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="BenchmarkFailed"/>: a run that produced no measurement, with the runtime's own message.</summary>
public static class BenchmarkFailedTable
{
    public static readonly EventTable<BenchmarkFailed> Table = new("ev_benchmark_failed",
        (e, changes) => changes.Runs.Add(e.RunId),
        Col<BenchmarkFailed>.Text("run_id", e => e.RunId),
        Col<BenchmarkFailed>.Text("plan_id", e => e.PlanId),
        Col<BenchmarkFailed>.Text("model_sha256", e => e.ModelSha256),
        Col<BenchmarkFailed>.Text("device_id", e => e.DeviceId),
        Col<BenchmarkFailed>.Text("runtime", e => e.Runtime),
        Col<BenchmarkFailed>.Text("backend", e => e.Backend),
        Col<BenchmarkFailed>.Int32("threads", e => e.Threads),
        Col<BenchmarkFailed>.Text("reason", e => e.Reason),
        Col<BenchmarkFailed>.Int32("attempt", e => e.Attempt),
        Col<BenchmarkFailed>.Time("happened_at", e => e.At));
}
