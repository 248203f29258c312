using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="EnergyMeasured"/>: a run's energy from a power trace; the latest one of a run wins.</summary>
public static class EnergyMeasuredTable
{
    public static readonly EventTable<EnergyMeasured> Table = new("ev_energy_measured",
        (e, changes) => changes.Runs.Add(e.RunId),
        Col<EnergyMeasured>.Text("run_id", e => e.RunId),
        Col<EnergyMeasured>.Double("energy_mj_per_inference", e => e.EnergyMjPerInference),
        Col<EnergyMeasured>.Double("avg_power_mw", e => e.AvgPowerMw),
        Col<EnergyMeasured>.Double("idle_power_mw", e => e.IdlePowerMw),
        Col<EnergyMeasured>.Int32("samples", e => e.Samples),
        Col<EnergyMeasured>.Double("sample_hz", e => e.SampleHz),
        Col<EnergyMeasured>.Double("window_start_s", e => e.WindowStartS),
        Col<EnergyMeasured>.Double("window_end_s", e => e.WindowEndS),
        Col<EnergyMeasured>.Double("idle_start_s", e => e.IdleStartS),
        Col<EnergyMeasured>.Double("idle_end_s", e => e.IdleEndS),
        Col<EnergyMeasured>.Text("method", e => e.Method),
        Col<EnergyMeasured>.Text("source_file", e => e.SourceFile),
        Col<EnergyMeasured>.Text("source_sha256", e => e.SourceSha256));
}
