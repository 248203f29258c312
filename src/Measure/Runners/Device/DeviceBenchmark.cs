using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GaugeNN.Events;
using GaugeNN.Measure.Adb;
using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>Which run a device benchmark is: its ids, decided by the caller.</summary>
public sealed record DeviceRunIds(string RunId, string? PlanId, string ModelSha256, string DeviceId, int Attempt);

/// <summary>
/// The measurement protocol on a phone over ADB, per model × config:
/// <list type="number">
/// <item>the runner's tools and the model are pushed once to <c>/data/local/tmp/gaugenn/</c> and verified by sha256 on the device;</item>
/// <item>cool-down: wait until the hottest thermal zone is below <c>cooldownC</c> (capped at <c>cooldownMaxS</c>,
/// default 300 s), recording both the temperature reached and the time waited;</item>
/// <item>optional pinning (<c>pin=big</c>): <c>taskset</c> with the mask of the fastest cpufreq cluster; a device that
/// refuses the mask runs unpinned and says so in the conditions;</item>
/// <item>conditions (governors, screen, battery level and charging state) and the hottest zone before;</item>
/// <item>an idle baseline of the fuel gauge (<c>idleS</c>, default 2 s) sampled from the host at <c>sampleHz</c>
/// (default 10 Hz), then the run, sampled the same way while its output streams in; the runner's own loop markers
/// (or the whole run, for tools that print none) bound the timed window;</item>
/// <item>the hottest zone after; the output parsed by the tool's importer; energy per inference from the samples by
/// the trapezoid rule minus the idle baseline (<see cref="EnergyIntegrator"/>).</item>
/// </list>
/// A fuel gauge is coarse beside a power monitor: it updates a few times a second, averages over its own window and
/// includes the whole phone; for precise energy import a power monitor's trace for the same run (docs/measure.md).
/// Returns the run's <see cref="MeasurementRecorded"/> or <see cref="BenchmarkFailed"/>; an unreachable device throws
/// <see cref="AdbException"/> (kinds <c>DeviceUnavailable</c>, <c>ConnectionClosed</c>), which the caller records as a lost device.
/// </summary>
public sealed class DeviceBenchmark(AdbDeviceClient device, DeviceToolsFolder tools, TimeProvider time)
{
    /// <summary>Config options of the protocol itself (not of a runtime); a runner on the host has no use for them.</summary>
    public static readonly IReadOnlySet<string> ProtocolOptions = new HashSet<string> { "cooldownC", "cooldownMaxS", "pin", "idleS", "sampleHz" };

    private readonly DeviceProbe _probe = new(device);
    private readonly HashSet<string> _verified = [];

    public async Task<IGaugeEvent> RunAsync(
        DeviceRunner runner, string abi, string format, DeviceRunIds ids, byte[] model, BenchmarkConfig config, CancellationToken ct)
    {
        var options = config.Options;
        double sampleHz = Number(options, "sampleHz") ?? 10, idleS = Number(options, "idleS") ?? 2;
        IReadOnlyList<DeviceTool> needed;
        try
        {
            needed = runner.Tools(tools, abi);
        }
        catch (MissingDeviceToolException e)
        {
            return Failure(ids, config, e.Message);
        }
        foreach (var tool in needed) await EnsureAsync($"{DeviceRunner.BinFolder}/{tool.Name}", tool.Bytes, executable: true, ct);
        string modelPath = $"{DeviceRunner.ModelFolder}/{ids.ModelSha256}/model.{Extension(format)}";
        await EnsureAsync(modelPath, () => model, executable: false, ct);

        var conditions = await _probe.ConditionsAsync(ct);
        if (Number(options, "cooldownC") is { } target) await CoolDownAsync(target, Number(options, "cooldownMaxS") ?? 300, conditions, ct);
        string prefix = await PinningAsync(options, conditions, ct);
        double? before = await _probe.HottestZoneCAsync(ct);

        var idle = await SampleAsync(TimeSpan.FromSeconds(idleS), sampleHz, ct);
        var run = await RunStreamingAsync($"cd {DeviceRunner.Folder} && {prefix}{runner.Command(modelPath, config)}", runner.NewLoopMarker(), sampleHz, ct);
        double? after = await _probe.HottestZoneCAsync(ct);
        if (run.ExitCode != 0)
            return Failure(ids, config, $"{runner.Runtime} exited {run.ExitCode}: {Tail(run.Stderr.Length > 0 ? run.Stderr : run.Stdout)}");

        ImportedRun parsed;
        try
        {
            parsed = runner.Parse(run.Stdout, run.Stderr);
        }
        catch (BenchmarkLogException e)
        {
            return Failure(ids, config, $"{runner.Runtime}'s output could not be read: {e.Message}");
        }
        var measurement = parsed.ToMeasurement(new ImportIds(ids.RunId, ids.ModelSha256, ids.DeviceId, "", "", time.GetUtcNow(), ids.PlanId));
        var begin = run.LoopBegan ?? run.Started;
        var end = run.LoopEnded ?? run.Ended;
        if (run.LoopBegan is null) conditions["powerWindow"] = "whole run (the tool prints no loop markers)";
        measurement = measurement with
        {
            Provenance = "measured", SourceFile = null, SourceSha256 = null, Threads = measurement.Threads ?? config.Threads,
            WarmupRuns = measurement.WarmupRuns ?? config.WarmupRuns, TempBeforeC = before, TempAfterC = after,
            TimedStart = begin, TimedEnd = end,
        };
        var energy = Energy(idle, run.Samples, begin, end, measurement.TimedRuns ?? config.TimedRuns, ids.RunId, conditions);
        if (energy is not null)
            measurement = measurement with
            {
                EnergyMjPerInference = energy.EnergyMjPerInference, AvgPowerMw = energy.AvgPowerMw, PowerSamples = energy.Samples,
                PowerSampleHz = energy.SampleHz,
            };
        foreach (var (key, value) in measurement.Conditions) conditions.TryAdd(key, value);
        return measurement with { Conditions = conditions };
    }

    /// <summary>Pushes a file unless the device already holds these exact bytes there (checked by its own sha256sum).</summary>
    private async Task EnsureAsync(string path, Func<byte[]> bytes, bool executable, CancellationToken ct)
    {
        if (_verified.Contains(path)) return;
        var content = bytes();
        string sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await DeviceSha256Async(path, ct) != sha)
        {
            await device.ShellAsync($"mkdir -p {AdbDeviceClient.Quote(path[..path.LastIndexOf('/')])}", ct: ct);
            await using (var sync = await device.OpenSyncAsync(ct))
            await using (var stream = new MemoryStream(content))
                await sync.PushAsync(stream, path, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100, time.GetUtcNow(), ct);
            string? landed = await DeviceSha256Async(path, ct);
            if (landed != sha) throw new IOException($"{path} on the device has sha256 {landed ?? "(none)"} after the push, not {sha}");
        }
        _verified.Add(path);
    }

    private async Task<string?> DeviceSha256Async(string path, CancellationToken ct)
    {
        var result = await device.ShellAsync($"sha256sum {AdbDeviceClient.Quote(path)} 2>/dev/null", ct: ct);
        return result.ExitCode == 0 && result.StdoutText.Split(' ')[0] is { Length: 64 } hash ? hash : null;
    }

    private async Task CoolDownAsync(double target, double capS, Dictionary<string, string> conditions, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        double? hottest = await _probe.HottestZoneCAsync(ct);
        while (hottest > target && waited.Elapsed.TotalSeconds < capS)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            hottest = await _probe.HottestZoneCAsync(ct);
        }
        conditions["cooldownTargetC"] = target.ToString(CultureInfo.InvariantCulture);
        conditions["cooldownWaitedS"] = waited.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        conditions["cooldownReachedC"] = hottest?.ToString("0.0", CultureInfo.InvariantCulture) ?? "unknown";
    }

    private async Task<string> PinningAsync(IReadOnlyDictionary<string, string> options, Dictionary<string, string> conditions, CancellationToken ct)
    {
        if (options.GetValueOrDefault("pin") != "big") return "";
        if (await _probe.BigCoreMaskAsync(ct) is not { } mask)
        {
            conditions["pin"] = "unavailable: cpufreq names no clusters";
            return "";
        }
        var probe = await device.ShellAsync($"taskset {mask} true", ct: ct);
        if (probe.ExitCode != 0)
        {
            conditions["pin"] = $"unavailable: taskset {mask}: {Tail(probe.StderrText + probe.StdoutText)}";
            return "";
        }
        conditions["pin"] = $"big ({mask})";
        return $"taskset {mask} ";
    }

    /// <summary>A fuel-gauge sample: host time and power.</summary>
    private readonly record struct Sample(DateTimeOffset At, double PowerMw);

    private async Task<List<Sample>> SampleAsync(TimeSpan length, double hz, CancellationToken ct)
    {
        var samples = new List<Sample>();
        await SampleEveryAsync(samples, hz, time.GetUtcNow() + length, ct);
        return samples;
    }

    /// <summary>Samples on a fixed schedule (every 1/hz from the start, however long a read takes) until <paramref name="until"/>.</summary>
    private async Task SampleEveryAsync(List<Sample> samples, double hz, DateTimeOffset until, CancellationToken ct)
    {
        var period = TimeSpan.FromSeconds(1 / hz);
        var next = time.GetUtcNow();
        while (time.GetUtcNow() < until)
        {
            await SampleOnceAsync(samples, ct);
            next += period;
            var wait = next - time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
        }
    }

    private async Task SampleOnceAsync(List<Sample> samples, CancellationToken ct)
    {
        if (await _probe.PowerMwAsync(ct) is { } mw) samples.Add(new Sample(time.GetUtcNow(), mw));
    }

    private sealed record RunOutput(int ExitCode, string Stdout, string Stderr, DateTimeOffset Started, DateTimeOffset Ended,
        DateTimeOffset? LoopBegan, DateTimeOffset? LoopEnded, List<Sample> Samples);

    /// <summary>Runs the command with its output streamed (loop markers timed on arrival) while the fuel gauge is sampled.</summary>
    private async Task<RunOutput> RunStreamingAsync(string command, Func<string, LoopMark> marker, double hz, CancellationToken ct)
    {
        var samples = new List<Sample>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampling = Task.Run(() => SampleEveryAsync(samples, hz, DateTimeOffset.MaxValue, stop.Token), stop.Token);
        var started = time.GetUtcNow();
        DateTimeOffset? began = null, ended = null;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var pending = new StringBuilder();
        int exit;
        await using (var session = await device.OpenShellAsync(command, ct: ct))
        {
            while (await session.ReadAsync(ct) is { } output)
            {
                string text = Encoding.UTF8.GetString(output.Data.Span);
                if (output.Stream == AdbShellStream.Stderr)
                {
                    stderr.Append(text);
                    continue;
                }
                stdout.Append(text);
                pending.Append(text);
                for (int nl; (nl = pending.ToString().IndexOf('\n')) >= 0; pending.Remove(0, nl + 1))
                {
                    switch (marker(pending.ToString(0, nl).TrimEnd('\r')))
                    {
                        case LoopMark.Begins when began is null: began = time.GetUtcNow(); break;
                        case LoopMark.Ends when began is not null && ended is null: ended = time.GetUtcNow(); break;
                    }
                }
            }
            exit = session.ExitCode ?? -1;
        }
        var finished = time.GetUtcNow();
        // Samples on both sides of the window's end, so that its edge is interpolated, never extrapolated.
        await Task.Delay(TimeSpan.FromSeconds(2 / hz), time, ct);
        await stop.CancelAsync();
        try
        {
            await sampling;
        }
        catch (OperationCanceledException)
        {
        }
        return new RunOutput(exit, stdout.ToString(), stderr.ToString(), started, finished, began, ended, samples);
    }

    /// <summary>Energy per inference of the window above the idle baseline, or null (with the reason in the conditions).</summary>
    private static EnergyMeasured? Energy(List<Sample> idle, List<Sample> run, DateTimeOffset begin, DateTimeOffset end, int inferences,
        string runId, Dictionary<string, string> conditions)
    {
        var all = idle.Concat(run).OrderBy(s => s.At).ToList();
        if (idle.Count < 2 || run.Count < 2 || inferences < 1)
        {
            conditions["energy"] = $"not measured: {idle.Count} idle and {run.Count} run samples of the fuel gauge";
            return null;
        }
        var zero = all[0].At;
        var trace = new PowerTrace(all.Select(s => (s.At - zero).TotalSeconds).ToList(), all.Select(s => s.PowerMw).ToList(),
            Enumerable.Range(1, all.Count).ToList(), zero, "fuel gauge: |current_now| x voltage_now");
        try
        {
            var energy = EnergyIntegrator.Measure(trace, new TraceWindow((begin - zero).TotalSeconds, (end - zero).TotalSeconds),
                new TraceWindow(0, (idle[^1].At - zero).TotalSeconds), inferences, runId, null, null, end);
            conditions["energyMethod"] = "fuel-gauge";
            conditions["idlePowerMw"] = energy.IdlePowerMw.ToString("0.###", CultureInfo.InvariantCulture);
            return energy;
        }
        catch (Exception e) when (e is BenchmarkLogException or ArgumentException)
        {
            conditions["energy"] = $"not measured: {e.Message}";
            return null;
        }
    }

    private BenchmarkFailed Failure(DeviceRunIds ids, BenchmarkConfig config, string reason) =>
        new(ids.RunId, ids.PlanId, ids.ModelSha256, ids.DeviceId, config.Runtime, config.Backend, config.Threads, reason, ids.Attempt, time.GetUtcNow());

    private static string Extension(string format) => format switch { "ncnn" => "param", "caffe" => "prototxt", _ => format };

    private static double? Number(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;

    private static string Tail(string text) =>
        string.Join(" | ", text.Trim().Split('\n').Where(l => l.Trim().Length > 0).TakeLast(3).Select(l => l.Trim()));
}
