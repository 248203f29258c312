// MLPerf Mobile (mlcommons/mobile_app_open) result JSON as docs/result-spec.md and tools/extended_result_schema.json
// define it: meta, results[] (benchmark_id, loadgen_scenario, backend_settings, backend_info, performance_run
// {throughput, measured_duration, measured_samples, start_datetime, loadgen{query_count, latency_mean, latency90, …}
// — older apps wrote loadgen_info{validity, duration} instead}), environment_info, build_info.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GaugeNN.Measure.Import;

/// <summary>An MLPerf Mobile result file: one run per result with a performance run, and the device it ran on.</summary>
public sealed record MlperfResultFile(IReadOnlyList<ImportedRun> Runs, Devices.DeviceProperties? Device);

/// <summary>
/// Reads an MLPerf Mobile result file. Latencies are loadgen's (seconds, printed exactly, become milliseconds in
/// decimal); a SingleStream result gives the mean and 90th-percentile latency per query, an Offline one only its
/// throughput (loadgen's latency there is a whole batch's, not an inference's). A result without a performance run
/// (accuracy only) yields no run. A field of the wrong type or missing is refused with its line.
/// </summary>
public static class MlperfResultJson
{
    public const string Format = "MLPerf Mobile result JSON";

    public static MlperfResultFile Parse(string text, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        LogText.Lines(text, Format, new ImportLimits { MaxChars = limits.MaxChars, MaxLineChars = int.MaxValue });
        var utf8 = Encoding.UTF8.GetBytes(text);
        var lines = JsonLines.Map(utf8, Format);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new BenchmarkLogException(Format, (int)(e.LineNumber ?? 0) + 1, e.Message);
        }
        using (doc)
        {
            var reader = new Reader(lines);
            var root = reader.Object(doc.RootElement, "");
            var results = reader.Array(reader.Required(root, "", "results"), "results");
            string? appVersion = root.TryGetProperty("build_info", out var build) && build.ValueKind == JsonValueKind.Object
                ? reader.OptionalString(build, "build_info", "version") : null;
            var runs = new List<ImportedRun>();
            int i = 0;
            foreach (var result in results.EnumerateArray())
            {
                if (runs.Count >= limits.MaxRuns) throw reader.Refuse($"results[{i}]", $"more than {limits.MaxRuns} results");
                if (ReadResult(reader, result, $"results[{i}]", appVersion) is { } run) runs.Add(run);
                i++;
            }
            return new MlperfResultFile(runs, Device(reader, root));
        }
    }

    private static ImportedRun? ReadResult(Reader r, JsonElement result, string path, string? appVersion)
    {
        r.Object(result, path);
        var perf = r.Required(result, path, "performance_run");
        if (perf.ValueKind == JsonValueKind.Null) return null;
        var perfPath = path + ".performance_run";
        r.Object(perf, perfPath);
        var benchmarkId = r.RequiredString(result, path, "benchmark_id");
        var scenario = r.RequiredString(result, path, "loadgen_scenario");
        if (scenario is not ("SingleStream" or "Offline"))
            throw r.Refuse(path + ".loadgen_scenario", $"unknown loadgen scenario '{scenario}'");
        var settingsPath = path + ".backend_settings";
        var settings = r.Object(r.Required(result, path, "backend_settings"), settingsPath);
        var framework = r.RequiredString(settings, settingsPath, "framework");
        var accelerator = r.RequiredString(settings, settingsPath, "accelerator_code");
        var modelPath = r.RequiredString(settings, settingsPath, "model_path");

        var conditions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["benchmarkId"] = benchmarkId,
            ["loadgenScenario"] = scenario,
            ["framework"] = framework,
        };
        if (r.OptionalString(result, path, "benchmark_name") is { } name) conditions["benchmarkName"] = name;
        if (r.OptionalString(settings, settingsPath, "accelerator_desc") is { } desc) conditions["acceleratorDesc"] = desc;
        if (r.OptionalString(settings, settingsPath, "delegate") is { } del) conditions["delegate"] = del;
        if (r.OptionalNumber(settings, settingsPath, "batch_size") is { } batch) conditions["batchSize"] = Invariant(batch);
        int? threads = null;
        if (settings.TryGetProperty("extra_settings", out var extras) && extras.ValueKind != JsonValueKind.Null)
        {
            int k = 0;
            foreach (var extra in r.Array(extras, settingsPath + ".extra_settings").EnumerateArray())
            {
                var extraPath = $"{settingsPath}.extra_settings[{k++}]";
                r.Object(extra, extraPath);
                var id = r.RequiredString(extra, extraPath, "id");
                var value = r.RequiredString(extra, extraPath, "value");
                conditions[$"setting.{id}"] = value;
                if (id == "num_threads") threads = LogText.RequireCount(value, Format, r.LineOf(extraPath + ".value"), "num_threads");
            }
        }
        if (result.TryGetProperty("backend_info", out var info) && info.ValueKind == JsonValueKind.Object)
            foreach (var key in (string[])["backend_name", "vendor_name", "accelerator_name", "filename"])
                if (r.OptionalString(info, path + ".backend_info", key) is { } v) conditions[$"backend.{key}"] = v;

        if (perf.TryGetProperty("throughput", out var throughput) && throughput.ValueKind == JsonValueKind.Object)
            conditions["throughputPerS"] = Invariant(r.RequiredNumber(throughput, perfPath + ".throughput", "value"));
        var duration = r.RequiredNumber(perf, perfPath, "measured_duration");
        var samples = r.RequiredNumber(perf, perfPath, "measured_samples");
        var start = r.RequiredString(perf, perfPath, "start_datetime");
        if (!DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var started))
            throw r.Refuse(perfPath + ".start_datetime", $"'{start}' is not an ISO 8601 date-time");
        if (duration < 0) throw r.Refuse(perfPath + ".measured_duration", $"negative duration {duration}");
        conditions["measuredDurationS"] = Invariant(duration);
        conditions["measuredSamples"] = Invariant(samples);

        decimal? mean = null, p90 = null;
        int timedRuns = LogText.RequireCount(Invariant(samples), Format, r.LineOf(perfPath + ".measured_samples"), "measured_samples");
        if (perf.TryGetProperty("loadgen", out var loadgen) && loadgen.ValueKind != JsonValueKind.Null)
        {
            var lgPath = perfPath + ".loadgen";
            r.Object(loadgen, lgPath);
            var queries = r.RequiredNumber(loadgen, lgPath, "query_count");
            timedRuns = LogText.RequireCount(Invariant(queries), Format, r.LineOf(lgPath + ".query_count"), "query_count");
            var latencyMean = r.RequiredNumber(loadgen, lgPath, "latency_mean");
            var latency90 = r.RequiredNumber(loadgen, lgPath, "latency90");
            if (latencyMean < 0 || latency90 < 0) throw r.Refuse(lgPath, "a negative latency");
            if (scenario == "SingleStream")
            {
                mean = latencyMean * 1000m;
                p90 = latency90 * 1000m;
            }
            else
            {
                conditions["loadgenLatencyMeanS"] = Invariant(latencyMean);
                conditions["loadgenLatency90S"] = Invariant(latency90);
            }
            if (loadgen.TryGetProperty("is_result_valid", out var valid) && valid.ValueKind is JsonValueKind.True or JsonValueKind.False)
                conditions["resultValid"] = valid.GetBoolean() ? "true" : "false";
        }
        else if (perf.TryGetProperty("loadgen_info", out var legacy) && legacy.ValueKind == JsonValueKind.Object)
        {
            if (legacy.TryGetProperty("validity", out var valid) && valid.ValueKind is JsonValueKind.True or JsonValueKind.False)
                conditions["resultValid"] = valid.GetBoolean() ? "true" : "false";
            if (r.OptionalNumber(legacy, perfPath + ".loadgen_info", "duration") is { } lgDuration)
                conditions["loadgenDurationS"] = Invariant(lgDuration);
        }
        return new ImportedRun
        {
            Tool = "mlperf-mobile",
            ToolVersion = appVersion,
            Runtime = Runtime(framework),
            Backend = accelerator.Trim().ToLowerInvariant(),
            Line = r.LineOf(path),
            GraphPath = modelPath,
            GraphName = LogText.FileName(modelPath),
            Threads = threads,
            TimedRuns = timedRuns,
            MeanMs = mean,
            P90Ms = p90,
            TimedStart = started,
            TimedEnd = started + TimeSpan.FromTicks((long)decimal.Round(duration * TimeSpan.TicksPerSecond)),
            Conditions = conditions,
        };
    }

    private static Devices.DeviceProperties? Device(Reader r, JsonElement root)
    {
        if (!root.TryGetProperty("environment_info", out var env) || env.ValueKind != JsonValueKind.Object) return null;
        if (!env.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) return null;
        if (!value.TryGetProperty("android", out var android) || android.ValueKind != JsonValueKind.Object) return null;
        const string path = "environment_info.value.android";
        string? socModel = null, socManufacturer = null;
        if (android.TryGetProperty("props", out var props) && props.ValueKind == JsonValueKind.Array)
        {
            int k = 0;
            foreach (var prop in props.EnumerateArray())
            {
                var propPath = $"{path}.props[{k++}]";
                r.Object(prop, propPath);
                var propName = r.OptionalString(prop, propPath, "name");
                var propValue = r.OptionalString(prop, propPath, "value");
                if (propName == "ro.soc.model") socModel = propValue;
                if (propName == "ro.soc.manufacturer") socManufacturer = propValue;
            }
        }
        return new Devices.DeviceProperties
        {
            Manufacturer = r.OptionalString(android, path, "manufacturer"),
            Model = r.OptionalString(android, path, "model_code"),
            SocModel = socModel,
            SocManufacturer = socManufacturer,
            Board = r.OptionalString(android, path, "board_code"),
            CpuinfoHardware = r.OptionalString(android, path, "proc_cpuinfo_soc_name"),
        };
    }

    private static string Runtime(string framework)
    {
        var f = framework.ToLowerInvariant();
        return f.Contains("tflite", StringComparison.Ordinal) || f.Contains("tensorflow lite", StringComparison.Ordinal) ? "tflite"
            : f.Contains("snpe", StringComparison.Ordinal) ? "snpe"
            : f.Contains("qnn", StringComparison.Ordinal) ? "qnn"
            : f.Contains("neuron", StringComparison.Ordinal) ? "neuron"
            : f.Contains("enn", StringComparison.Ordinal) ? "enn"
            : f.Replace(' ', '-');
    }

    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Typed access that refuses with the line of the offending field.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, int> lines)
    {
        public int LineOf(string path)
        {
            for (var p = path; ; )
            {
                if (lines.TryGetValue(p, out var line)) return line;
                int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
                if (cut <= 0) return 1;
                p = p[..cut];
            }
        }

        public BenchmarkLogException Refuse(string path, string problem) => new(Format, LineOf(path), $"{(path.Length == 0 ? "document" : path)}: {problem}");

        public JsonElement Object(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Object ? e : throw Refuse(path, $"expected an object, found {e.ValueKind}");

        public JsonElement Array(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Array ? e : throw Refuse(path, $"expected an array, found {e.ValueKind}");

        public JsonElement Required(JsonElement obj, string path, string name) =>
            obj.TryGetProperty(name, out var v) ? v : throw Refuse(path, $"'{name}' is missing");

        public string RequiredString(JsonElement obj, string path, string name) =>
            OptionalString(obj, path, name) ?? throw Refuse(Join(path, name), $"'{name}' is missing or null");

        public string? OptionalString(JsonElement obj, string path, string name)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Refuse(Join(path, name), $"expected a string, found {v.ValueKind}");
        }

        public decimal RequiredNumber(JsonElement obj, string path, string name) =>
            OptionalNumber(obj, path, name) ?? throw Refuse(Join(path, name), $"'{name}' is missing or null");

        public decimal? OptionalNumber(JsonElement obj, string path, string name)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number) throw Refuse(Join(path, name), $"'{v}' is not a number");
            return v.TryGetDecimal(out var d) ? d : throw Refuse(Join(path, name), $"{v.GetRawText()} is out of range");
        }

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
