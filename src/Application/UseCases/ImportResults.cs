using System.Security.Cryptography;
using GaugeNN.Application.Measuring;
using GaugeNN.Events;
using GaugeNN.Measure.Import;
using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Application.UseCases;

/// <summary>The tool outputs gaugeNN imports.</summary>
public enum ImportKind
{
    /// <summary>TFLite <c>benchmark_model</c> output (one run per file).</summary>
    BenchmarkLog,

    /// <summary>ncnn <c>benchncnn</c> output (one run per model line).</summary>
    Benchncnn,

    /// <summary>MNN <c>benchmark.out</c> output (one run per model line).</summary>
    MnnBenchmark,

    /// <summary>MLPerf Mobile result JSON.</summary>
    Mlperf,

    /// <summary>A power monitor's trace for a recorded run (energy per inference).</summary>
    PowerTrace,
}

/// <summary>Windows of a power trace: the timed window (null: the run's recorded start and end) and the idle window.</summary>
public sealed record PowerTraceWindows(string RunId, TraceWindow? Timed, TraceWindow Idle, DateTimeOffset? TraceStart = null,
    PowerTraceOptions? Columns = null);

public sealed record ImportRequest(ImportKind Kind, string File, string Device, string? Model = null, PowerTraceWindows? Power = null);

public sealed record ImportReport(string File, string Sha256, int RunsRead, int RunsAppended, IReadOnlyList<string> RunIds);

/// <summary>A file whose runs cannot be tied to a model or a run; the message says what to give.</summary>
public sealed class ImportTargetException(string message) : Exception(message);

/// <summary>
/// Imports the results labs already have. Each run of a file becomes a <see cref="MeasurementRecorded"/> (with its
/// operator profile) in a run stream whose id derives from the file's sha256, the run's position, the device and the
/// model: importing the same file again appends nothing. A malformed file is refused whole, naming the line that broke
/// it (<see cref="BenchmarkLogException"/>) — never a wrong number.
/// </summary>
public sealed class ImportResults(Gauge gauge)
{
    public async Task<ImportReport> RunAsync(ImportRequest request, CancellationToken ct)
    {
        byte[] bytes = await File.ReadAllBytesAsync(request.File, ct);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        string name = Path.GetFileName(request.File);
        var device = await new RegisterDevice(gauge).ResolveAsync(request.Device, ct);
        if (request.Kind == ImportKind.PowerTrace)
            return await ImportTraceAsync(request, text, name, sha256, ct);

        IReadOnlyList<ImportedRun> runs = request.Kind switch
        {
            ImportKind.BenchmarkLog => [TfliteBenchmarkLog.Parse(text)],
            ImportKind.Benchncnn => BenchncnnLog.Parse(text),
            ImportKind.MnnBenchmark => MnnBenchmarkLog.Parse(text),
            ImportKind.Mlperf => MlperfResultJson.Parse(text).Runs,
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        var log = new EventLog(gauge.Store);
        var ids = new List<string>();
        int appended = 0;
        for (int i = 0; i < runs.Count; i++)
        {
            string model = request.Model?.ToLowerInvariant() ?? await ModelNamedAsync(runs[i], ct);
            string runId = StreamKeys.ImportRunId(sha256, i, device.DeviceId, model);
            var importIds = new ImportIds(runId, model, device.DeviceId, name, sha256, gauge.Time.GetUtcNow());
            var events = new List<IGaugeEvent> { runs[i].ToMeasurement(importIds) };
            if (runs[i].ToOperatorProfile(importIds) is { } profile) events.Add(profile);
            if (await log.StartStreamOnceAsync(StreamKeys.Run(runId), events, ct)) appended++;
            ids.Add(runId);
        }
        return new ImportReport(name, sha256, runs.Count, appended, ids);
    }

    private async Task<ImportReport> ImportTraceAsync(ImportRequest request, string text, string name, string sha256, CancellationToken ct)
    {
        var windows = request.Power ?? throw new ImportTargetException("a power trace needs --run RUN_ID and its idle window (--idle START:END)");
        var log = new EventLog(gauge.Store);
        string stream = StreamKeys.Run(windows.RunId);
        var history = await log.StreamAsync(stream, ct);
        var measurement = history.OfType<MeasurementRecorded>().FirstOrDefault()
                          ?? throw new ImportTargetException($"run '{windows.RunId}' has no measurement in the event log");
        if (history.OfType<EnergyMeasured>().Any(e => e.SourceSha256 == sha256))
            return new ImportReport(name, sha256, 1, 0, [windows.RunId]);
        var trace = PowerTraceCsv.Parse(text, windows.Columns);
        int inferences = measurement.TimedRuns ?? throw new ImportTargetException($"run '{windows.RunId}' does not say how many timed runs it made");
        var timed = windows.Timed ?? EnergyIntegrator.TimedWindow(trace, measurement, windows.TraceStart);
        var energy = EnergyIntegrator.Measure(trace, timed, windows.Idle, inferences, windows.RunId, name, sha256, gauge.Time.GetUtcNow());
        bool appended = await log.AppendIfUnchangedAsync(stream, history.Count, energy, ct);
        return new ImportReport(name, sha256, 1, appended ? 1 : 0, [windows.RunId]);
    }

    /// <summary>
    /// The one model whose file name (or, for tools that print a model's name without its extension, file stem) the
    /// output names; otherwise an error asking for <c>--model</c>.
    /// </summary>
    private async Task<string> ModelNamedAsync(ImportedRun run, CancellationToken ct)
    {
        string graph = run.GraphName ?? throw new ImportTargetException(
            $"the {run.Tool} output (line {run.Line}) names no model file: give the model with --model SHA256");
        await using var session = gauge.Store.QuerySession();
        var files = await session.Events.QueryRawEventDataOnly<ModelFileFound>().Where(f => f.Path.Contains(graph)).ToListAsync(ct);
        var shas = files.Where(f => !f.Encrypted && Named(f.Path, graph)).Select(f => f.Sha256).Distinct().Order().ToList();
        return shas.Count switch
        {
            1 => shas[0],
            0 => throw new ImportTargetException($"no model file in the warehouse is named '{graph}': give the model with --model SHA256"),
            _ => throw new ImportTargetException(
                $"{shas.Count} different models are named '{graph}' ({string.Join(", ", shas.Select(s => s[..12]))}…): give one with --model SHA256"),
        };
    }

    /// <summary>A corpus path (<c>a.apk!/assets/m.tflite</c>, <c>blob@40</c>) whose file name, or file stem, is <paramref name="graph"/>.</summary>
    private static bool Named(string path, string graph)
    {
        string file = path.Split("!/")[^1].Split('/')[^1].Split('@')[0];
        return file == graph || Path.GetFileNameWithoutExtension(file) == graph;
    }
}
