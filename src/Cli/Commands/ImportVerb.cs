using System.CommandLine;
using System.Globalization;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;
using GaugeNN.Measure.Import;

namespace GaugeNN.Cli.Commands;

/// <summary>
/// <c>gaugenn import KIND FILE --device ID</c>: results labs already have, as measurements. The same file imported
/// again appends nothing (and says so); a malformed file is refused whole with the line that broke it (exit 1).
/// </summary>
public static class ImportVerb
{
    public static Command Build() => Verb.Group("import",
        "Import benchmark results measured elsewhere (a device named by id, or by a catalogued phone model such as SM-G991B).",
        Results("benchmark-log", ImportKind.BenchmarkLog, "a TFLite benchmark_model log (one run; op profiling included)"),
        Results("benchncnn", ImportKind.Benchncnn, "ncnn benchncnn output (one run per model line)"),
        Results("mnn-benchmark", ImportKind.MnnBenchmark, "MNN benchmark.out output (one run per model line)"),
        Results("mlperf", ImportKind.Mlperf, "an MLPerf Mobile result JSON"),
        PowerTrace());

    private static Option<string> Device() =>
        Options.Checked("--device", "the device the results were measured on: a registered id (see `gaugenn devices`) or a catalogued phone model (e.g. SM-G991B)",
            "ID", text => text.Length > 0 ? text : throw new FormatException("empty"), required: true);

    private static Command Results(string name, ImportKind kind, string description)
    {
        var file = Options.File("FILE", "the tool's output");
        var device = Device();
        var model = Options.Checked<string?>("--model", "the model measured, by sha256 (default: the one stored model the output's graph file name names)",
            "SHA256", Options.Sha256);
        return Verb.Create(name, $"Import {description}.", [file, device, model],
            run => ImportAsync(run, name, new ImportRequest(kind, run.Get(file), run.Get(device), run.Get(model))));
    }

    private static Command PowerTrace()
    {
        var file = Options.File("FILE", "the power monitor's CSV (time with current and voltage, or power)");
        var device = Device();
        var runId = Options.Checked("--run", "the recorded run the trace covers (its run id, from `bench --json` or `import --json`)", "RUN_ID",
            text => text.Length > 0 ? text : throw new FormatException("empty"), required: true);
        var idle = Options.Checked("--idle", "the idle window, in the trace's seconds: its mean power is subtracted", "START:END", Window);
        idle.Required = true;
        var window = Options.Checked<TraceWindow?>("--window", "the timed window in the trace's seconds (default: the run's recorded start and end, with --trace-start)",
            "START:END", Window);
        var traceStart = Options.Checked<DateTimeOffset?>("--trace-start", "the wall-clock time of the trace's second 0, to place the run's recorded window",
            "ISO-TIME", text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t : throw new FormatException($"'{text}' is not an ISO 8601 time (e.g. 2024-05-01T10:00:00Z)"));
        return Verb.Create("power-trace", "Import a power monitor's trace for a recorded run: energy per inference over the timed window, idle power subtracted.",
            [file, device, runId, idle, window, traceStart],
            run => ImportAsync(run, "power-trace", new ImportRequest(ImportKind.PowerTrace, run.Get(file), run.Get(device),
                Power: new PowerTraceWindows(run.Get(runId), run.Get(window), run.Get(idle), run.Get(traceStart)))));
    }

    private static async Task<int> ImportAsync(Invocation run, string name, ImportRequest request)
    {
        using var gauge = Services.Open(Services.Home());
        ImportReport report;
        try
        {
            report = await new ImportResults(gauge).RunAsync(request, run.Stop);
        }
        catch (UnknownDeviceException e)
        {
            throw new UsageException($"--device: {e.Message}");
        }
        catch (ArgumentException e) when (request.Kind == ImportKind.PowerTrace)
        {
            // The run's recorded window cannot be placed in the trace (relative times, no recorded start and end).
            throw new UsageException($"{e.Message} (--trace-start ISO-TIME places a relative trace; --window START:END gives the window)");
        }
        run.Report(report, to => to.WriteLine(
            $"{name} {report.File} (sha256 {report.Sha256[..12]}…): {report.RunsRead} runs read, {report.RunsAppended} appended" +
            (report.RunsAppended == 0 ? " — already imported: the same file appends nothing" :
                report.RunsAppended < report.RunsRead ? $" ({report.RunsRead - report.RunsAppended} were already imported)" : "") +
            $"\nrun ids: {string.Join(", ", report.RunIds)}"));
        return ExitCodes.Ok;
    }

    private static TraceWindow Window(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double start)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double end)
            && start >= 0 && end > start && double.IsFinite(end))
            return new TraceWindow(start, end);
        throw new FormatException($"'{text}' is not START:END in seconds with START < END (e.g. 0:5.5)");
    }
}
