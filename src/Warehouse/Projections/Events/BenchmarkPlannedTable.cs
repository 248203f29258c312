using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="BenchmarkPlanned"/>: kept as an event table only (plans are read from the event store to resume them).</summary>
public static class BenchmarkPlannedTable
{
    public static readonly EventTable<BenchmarkPlanned> Table = new("ev_benchmark_planned",
        (_, _) => { },
        Col<BenchmarkPlanned>.Text("plan_id", e => e.PlanId),
        Col<BenchmarkPlanned>.Texts("models", e => e.Models),
        Col<BenchmarkPlanned>.Texts("devices", e => e.Devices),
        Col<BenchmarkPlanned>.Texts("config_runtimes", e => e.Configs.Select(c => c.Runtime)),
        Col<BenchmarkPlanned>.Texts("config_backends", e => e.Configs.Select(c => c.Backend)),
        Col<BenchmarkPlanned>.Int64s("config_threads", e => e.Configs.Select(c => (long)c.Threads)),
        Col<BenchmarkPlanned>.Time("happened_at", e => e.At));
}
