using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactMeasurement
{
    public static readonly DerivedTable Table = new("fact_measurement",
        "One benchmark run of a model on a device with one config: latency, memory, energy, conditions.", Scope.Run,
        [
            new("run_id", "VARCHAR", "run id"),
            new("plan_id", "VARCHAR", "plan it belongs to (null: imported or ad hoc)"),
            new("model_sha256", "VARCHAR", "the model (dim_model.sha256)"),
            new("device_id", "VARCHAR", "the device (dim_device.device_id)"),
            new("runtime", "VARCHAR", "onnxruntime, tflite, ncnn, mnn, ..."),
            new("runtime_version", "VARCHAR", "runtime version"),
            new("backend", "VARCHAR", "cpu, xnnpack, gpu, nnapi, hexagon, vulkan, ..."),
            new("delegation", "VARCHAR", "graph on the delegate: full, partial, none (null: no delegate or not said)"),
            new("delegate_kernels", "INTEGER", "delegate kernels (partitions) when partial"),
            new("threads", "INTEGER", "threads"),
            new("warmup_runs", "INTEGER", "warm-up runs"),
            new("timed_runs", "INTEGER", "timed runs"),
            new("init_ms", "DOUBLE", "session/interpreter initialisation, ms"),
            new("first_inference_ms", "DOUBLE", "first inference, ms"),
            new("warmup_mean_ms", "DOUBLE", "mean of the warm-up runs, ms"),
            new("mean_ms", "DOUBLE", "mean of the timed runs, ms"),
            new("std_ms", "DOUBLE", "standard deviation of the timed runs, ms"),
            new("min_ms", "DOUBLE", "fastest timed run, ms"),
            new("max_ms", "DOUBLE", "slowest timed run, ms"),
            new("p5_ms", "DOUBLE", "5th percentile, ms"),
            new("p50_ms", "DOUBLE", "median, ms"),
            new("p90_ms", "DOUBLE", "90th percentile, ms"),
            new("p95_ms", "DOUBLE", "95th percentile, ms"),
            new("p99_ms", "DOUBLE", "99th percentile, ms"),
            new("peak_memory_mb", "DOUBLE", "peak memory, MiB"),
            new("energy_mj_per_inference", "DOUBLE", "energy per inference above idle, mJ"),
            new("avg_power_mw", "DOUBLE", "average power over the timed window, mW"),
            new("power_samples", "INTEGER", "power samples in the timed window"),
            new("power_sample_hz", "DOUBLE", "power sampling rate, Hz"),
            new("energy_method", "VARCHAR", "where the energy came from: the run's own (fuel gauge) or an imported power trace"),
            new("temp_before_c", "DOUBLE", "hottest thermal zone before, degrees C"),
            new("temp_after_c", "DOUBLE", "hottest thermal zone after, degrees C"),
            new("timed_start", "TIMESTAMP WITH TIME ZONE", "start of the timed loop"),
            new("timed_end", "TIMESTAMP WITH TIME ZONE", "end of the timed loop"),
            new("tool", "VARCHAR", "tool that produced the figures"),
            new("tool_version", "VARCHAR", "its version"),
            new("provenance", "VARCHAR", "measured (here) or imported (from a file)"),
            new("source_file", "VARCHAR", "imported file name"),
            new("source_sha256", "VARCHAR", "imported file sha256"),
            new("conditions", "MAP(VARCHAR, VARCHAR)", "governor, screen, battery, pinning, cool-down, tool-specific figures"),
            new("recorded_at", "TIMESTAMP WITH TIME ZONE", "when it was recorded"),
        ],
        ctx => $"""
            WITH m AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY seq DESC) AS rn
                                      FROM {ctx.Events(MeasurementRecordedTable.Table)} WHERE {ctx.In(Scope.Run, "run_id")})
                       WHERE rn = 1),
            e AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY seq DESC) AS rn
                                 FROM {ctx.Events(EnergyMeasuredTable.Table)} WHERE {ctx.In(Scope.Run, "run_id")})
                  WHERE rn = 1)
            SELECT m.run_id, m.plan_id, m.model_sha256, m.device_id, m.runtime, m.runtime_version, m.backend, m.delegation,
                   m.delegate_kernels, m.threads, m.warmup_runs, m.timed_runs, m.init_ms, m.first_inference_ms,
                   m.warmup_mean_ms, m.mean_ms, m.std_ms, m.min_ms, m.max_ms, m.p5_ms, m.p50_ms, m.p90_ms, m.p95_ms, m.p99_ms,
                   m.peak_memory_mb,
                   coalesce(e.energy_mj_per_inference, m.energy_mj_per_inference) AS energy_mj_per_inference,
                   coalesce(e.avg_power_mw, m.avg_power_mw) AS avg_power_mw,
                   coalesce(e.samples, m.power_samples) AS power_samples,
                   coalesce(e.sample_hz, m.power_sample_hz) AS power_sample_hz,
                   CASE WHEN e.run_id IS NOT NULL THEN e.method WHEN m.energy_mj_per_inference IS NOT NULL THEN 'run' END AS energy_method,
                   m.temp_before_c, m.temp_after_c, m.timed_start, m.timed_end, m.tool, m.tool_version, m.provenance,
                   m.source_file, m.source_sha256, map(m.condition_keys, m.condition_values) AS conditions, m.happened_at AS recorded_at
            FROM m LEFT JOIN e USING (run_id)
            """);
}
