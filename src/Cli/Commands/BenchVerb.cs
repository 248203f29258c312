using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using GaugeNN.Application;
using GaugeNN.Application.Measuring;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Output;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;
using GaugeNN.Events;
using GaugeNN.Measure.Devices;
using GaugeNN.Measure.Runners.Device;
using GaugeNN.Measure.Runners.Host;

namespace GaugeNN.Cli.Commands;

/// <summary>
/// <c>gaugenn bench</c>: models × a device × one config, as a plan in the event log (its id is printed first, so
/// <c>--resume PLAN</c> finishes it whatever stopped it). The host runs ONNX models on ONNX Runtime's CPU provider and
/// TFLite models on LiteRT.js (WebAssembly, under node) — both unless <c>--runtime</c> or <c>--backend</c> picks one; the phone options (<c>--runtime</c>, <c>--backend</c>, <c>--cooldown-c</c>, <c>--pin</c>) are checked here and
/// carried in the plan's config for the ADB target.
/// </summary>
public static partial class BenchVerb
{
    /// <summary>Which backends (delegates) each runtime offers: what its device runner runs on a phone, and LiteRT.js on the host (the first is the default).</summary>
    private static readonly Dictionary<string, IReadOnlyList<string>> Backends =
        DeviceRunner.All.Select(r => KeyValuePair.Create(r.Runtime, r.Backends))
            .Append(KeyValuePair.Create(LiteRtOptions.Runtime, (IReadOnlyList<string>)[LiteRtOptions.Backend]))
            .ToDictionary(StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial Regex SafeId();

    public static Command Build()
    {
        var device = Options.Checked("--device", $"the device to run on: {HostDevice.Id} (this machine) or a phone's serial", "ID", Id("device"));
        device.DefaultValueFactory = _ => HostDevice.Id;
        var models = Options.Repeated("--model", "a model to bench, by sha256 (repeat for more; default: every stored model the device can run)", "SHA256", Options.Sha256);
        var runs = Options.Number("--runs", "timed inferences per model", 50, 1, 1_000_000);
        var warmup = Options.Number("--warmup", "untimed inferences before the timed ones", 5, 0, 100_000);
        var threads = Options.Number("--threads", "intra-op threads; 0 lets the runtime choose (LiteRT.js on the host runs single-threaded)", 0, 0, 1024);
        var options = Options.Repeated("--option", "a runtime option (repeat for more), e.g. graphOptimization=basic, shape.input=1,3,224,224, dim.batch=4, fill.sr=16000",
            "KEY=VALUE", KeyValue);
        // No defaults shown: without --runtime the host runs each model on its own runtime, a phone runs onnxruntime.
        var runtime = Options.Choice("--runtime", $"the inference runtime (default: on the host {HostOptions.Runtime} for ONNX and {LiteRtOptions.Runtime} for TFLite models, on a phone {HostOptions.Runtime})",
            HostOptions.Runtime, [.. Backends.Keys]);
        runtime.DefaultValueFactory = null;
        var backend = Options.Choice("--backend", "the backend or delegate (default: the runtime's first)", HostOptions.Backend, [.. Backends.Values.SelectMany(b => b).Distinct()]);
        backend.DefaultValueFactory = null;
        var cooldown = Options.Decimal("--cooldown-c", "on a phone: wait until its hottest thermal zone is below this temperature before each model", 20, 100, "°C");
        var pin = Options.Choice("--pin", "on a phone: pin the runner to these cores", "none", "none", "big");
        var tools = Options.Checked("--tools", $"on a phone: the folder of benchmark binaries per ABI (FOLDER/arm64-v8a/benchmark_model, …; default ${DeviceToolsFolder.Variable})",
            "FOLDER", text => Directory.Exists(text) ? Path.GetFullPath(text) : throw new FormatException($"'{text}' is not a folder"));
        var resume = Options.Checked("--resume", "finish a plan: run only what has no measurement yet (the plan keeps its own models, device and config)", "PLAN", Id("plan"));

        return Verb.Create("bench",
            "Benchmark models on a device through a resumable plan, then print their latency (p50, mean, init) or why a run failed.",
            [device, models, runs, warmup, threads, options, runtime, backend, cooldown, pin, tools, resume],
            async run =>
            {
                string? planId = run.Get(resume);
                BenchRequest? request = null;
                if (planId is not null)
                {
                    if (new Option[] { device, models, runs, warmup, threads, options, runtime, backend, cooldown, pin }.FirstOrDefault(run.Has) is { } extra)
                        throw new UsageException($"{extra.Name} does not go with --resume: a resumed plan runs its own models, device and config");
                }
                else
                {
                    var config = Config(run.Get(runtime) ?? HostOptions.Runtime, run.Get(backend), run.Get(threads), run.Get(warmup), run.Get(runs),
                        run.Get(options), run.Get(cooldown), run.Get(pin) == "big");
                    bool onHost = run.Get(device) == HostDevice.Id;
                    if (!onHost && config.Runtime == LiteRtOptions.Runtime)
                        throw new UsageException($"--runtime {LiteRtOptions.Runtime} runs on the host only (a phone runs TFLite models with --runtime tflite)");
                    var configs = onHost && !run.Has(runtime) && !run.Has(backend) ? [config, LiteRtFor(config)] : new[] { config };
                    if (onHost) foreach (var c in configs) CheckHost(c);
                    request = new BenchRequest(run.Get(models), [run.Get(device)], configs);
                }
                using var gauge = Services.Open(Services.Home());
                var folder = run.Get(tools) is { } given ? new DeviceToolsFolder(given) : DeviceToolsFolder.FromEnvironment();
                var report = await RunAsync(run, gauge, request, planId, folder);
                run.Report(report, to => WriteTable(report, to));
                return report.Runs.Any(r => r.Status == RunStatus.NotRunnable) ? ExitCodes.Failed : ExitCodes.Ok;
            });
    }

    /// <summary>The run's config, checked against what its device runs; a mismatch is a usage error naming the option.</summary>
    private static BenchmarkConfig Config(string runtime, string? backend, int threads, int warmup, int runs,
        KeyValuePair<string, string>[] given, decimal? cooldownC, bool pinBig)
    {
        backend ??= Backends[runtime][0];
        if (!Backends[runtime].Contains(backend))
            throw new UsageException($"--backend {backend}: {runtime} runs on {string.Join(", ", Backends[runtime])}");
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in given)
            if (!options.TryAdd(key, value)) throw new UsageException($"--option {key}: given twice");
        if (cooldownC is { } c) options["cooldownC"] = c.ToString(CultureInfo.InvariantCulture);
        if (pinBig) options["pin"] = "big";
        return new BenchmarkConfig(runtime, backend, threads, warmup, runs, options);
    }

    /// <summary>
    /// The host's TFLite config beside its ONNX one: the same runs, single-threaded (LiteRT.js's WebAssembly build), and
    /// the options LiteRT.js reads (the rest are ONNX Runtime's).
    /// </summary>
    private static BenchmarkConfig LiteRtFor(BenchmarkConfig onnx) =>
        LiteRtOptions.Config(onnx.WarmupRuns, onnx.TimedRuns, onnx.Options.Where(o => LiteRtOptions.Knows(o.Key)).ToDictionary(StringComparer.Ordinal));

    /// <summary>
    /// The host runs ONNX models on ONNX Runtime's CPU provider and TFLite models on LiteRT.js, and has no thermal zones
    /// or big cores to manage.
    /// </summary>
    private static void CheckHost(BenchmarkConfig config)
    {
        if (config.Runtime is not (HostOptions.Runtime or LiteRtOptions.Runtime))
            throw new UsageException($"--runtime {config.Runtime}: the host runs {HostOptions.Runtime} and {LiteRtOptions.Runtime} ({config.Runtime} runs on a phone: --device SERIAL)");
        string backend = config.Runtime == LiteRtOptions.Runtime ? LiteRtOptions.Backend : HostOptions.Backend;
        if (config.Backend != backend)
            throw new UsageException($"--backend {config.Backend}: the host runs {config.Runtime} on {backend} only");
        if (config.Options.ContainsKey("cooldownC")) throw new UsageException("--cooldown-c applies to phones; the host has no thermal protocol");
        if (config.Options.ContainsKey("pin")) throw new UsageException("--pin applies to phones; the host runner does not pin cores");
        if (config.Runtime == LiteRtOptions.Runtime && config.Threads > 1)
            throw new UsageException($"--threads {config.Threads}: {LiteRtOptions.Runtime} on the host runs single-threaded (its WebAssembly build): 0 or 1");
        try
        {
            if (config.Runtime == LiteRtOptions.Runtime) LiteRtOptions.Validate(config);
            else HostOptions.Validate(config);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--option: {e.Message}");
        }
    }

    /// <summary>
    /// Plans (or takes the plan to resume), says its id, and runs it with progress; stopped, it says how far it came
    /// and how to finish. The demo passes its own plan id, so that every demo resumes the same plan.
    /// </summary>
    public static async Task<BenchReport> RunAsync(Invocation run, Gauge gauge, BenchRequest? request, string? planId, DeviceToolsFolder tools)
    {
        bool phones = request is null || request.Devices.Any(d => d != HostDevice.Id);
        var targets = await Services.AttachedTargetsAsync(gauge, tools, phones, run.Note, run.Stop);
        // A phone is named on the command line by its serial (as adb lists it); a plan keeps its stable device id.
        if (request is not null)
            request = request with { Devices = request.Devices.Select(d => targets.OfType<AdbTarget>().FirstOrDefault(t => t.Serial == d)?.DeviceId ?? d).ToList() };
        var bench = new RunBenchmarks(gauge);
        int total;
        if (request is not null)
        {
            if (request.Models.Count == 0 && request.Devices.FirstOrDefault(d => targets.All(t => t.DeviceId != d)) is { } absent)
                throw new EnvironmentException($"device {absent} is not attached (attached: {string.Join(", ", targets.Select(t => t.DeviceId))}), so no model can be chosen for it; " +
                                               "name them with --model to plan them anyway, and `--resume` the plan once it is attached");
            if (request.Devices.Contains(HostDevice.Id)) await new RegisterDevice(gauge).HostAsync(run.Stop);
            BenchmarkPlanned plan;
            try
            {
                plan = await bench.PlanAsync(request, targets, planId, run.Stop);
            }
            catch (RunBenchmarks.UnknownModelException e)
            {
                throw new UsageException($"--model: {e.Message}");
            }
            planId = plan.PlanId;
            total = await bench.CountRunsAsync(plan, run.Stop);
            if (total == 0)
                run.Note($"no model in the warehouse runs on {string.Join(", ", request.Devices)} with {string.Join(" or ", request.Configs.Select(c => c.Runtime))}: " +
                         "ingest a snapshot with such models, or name them with --model");
        }
        else total = -1;
        string id = planId!;
        run.Note($"plan {id}{(total >= 0 ? $": {total} runs" : "")}; if it is stopped, `gaugenn bench --resume {id}` finishes it");
        var display = run.Progress;
        try
        {
            return await run.StoppableAsync(() => display.RunAsync(() =>
                {
                    display.Report(new Progress("bench", 0, total >= 0 ? total : null, "runs"));
                    return bench.ResumeAsync(id, targets, display, run.Stop);
                }),
                () => Task.FromResult($"{display.Done("bench")} runs of plan {id} ended in this run, each recorded as it ended; `gaugenn bench --resume {id}` runs the rest"));
        }
        catch (RunBenchmarks.UnknownModelException)
        {
            throw new UsageException($"--resume {id}: no such plan in the event log");
        }
    }

    /// <summary>The latency table: one row per run, with the figures of its measurement or the reason it has none.</summary>
    public static void WriteTable(BenchReport report, TextWriter to)
    {
        var counts = report.Runs.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Status(g.Key)}");
        to.WriteLine($"plan {report.PlanId}: {report.Runs.Count} runs{(report.Runs.Count > 0 ? " — " + string.Join(", ", counts) : "")}");
        if (report.Runs.Count == 0) return;
        var table = new TextTable(("model", false), ("device", false), ("runtime", false), ("status", false), ("p50 ms", true), ("mean ms", true), ("init ms", true), ("reason", false));
        foreach (var r in report.Runs)
        {
            var m = r.Measurement;
            table.Add(r.ModelSha256[..12], r.DeviceId, r.Runtime, Status(r.Status), Figure(m?.P50Ms, "0.000"), Figure(m?.MeanMs, "0.000"), Figure(m?.InitMs, "0.0"), r.Reason ?? "");
        }
        table.Write(to);
    }

    private static string Status(RunStatus status) => status switch
    {
        RunStatus.Measured => "measured",
        RunStatus.Failed => "failed",
        RunStatus.AlreadyMeasured => "already measured",
        RunStatus.GaveUp => $"gave up ({RunBenchmarks.MaxAttempts} attempts)",
        _ => "not runnable",
    };

    private static string Figure(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static Func<string, string> Id(string what) => text =>
        SafeId().IsMatch(text) ? text : throw new FormatException($"'{text}' is not a {what} id (letters, digits, '.', '_', ':', '-')");

    private static KeyValuePair<string, string> KeyValue(string text) =>
        text.IndexOf('=') is > 0 and var eq ? new(text[..eq], text[(eq + 1)..]) : throw new FormatException($"'{text}' is not KEY=VALUE");
}
