using GaugeNN.Application.Measuring;
using GaugeNN.Events;
using GaugeNN.Measure.Runners;
using GaugeNN.Warehouse.EventStore;

namespace GaugeNN.Application.UseCases;

/// <summary>What to benchmark: models (empty: every stored model some device can run) × devices × configs.</summary>
public sealed record BenchRequest(IReadOnlyList<string> Models, IReadOnlyList<string> Devices, IReadOnlyList<BenchmarkConfig> Configs);

/// <summary>How one run of a plan ended in this invocation.</summary>
public enum RunStatus
{
    Measured,
    Failed,

    /// <summary>Measured by an earlier invocation (resume) or by another process meanwhile.</summary>
    AlreadyMeasured,

    /// <summary>Failed <see cref="RunBenchmarks.MaxAttempts"/> times: not tried again.</summary>
    GaveUp,

    /// <summary>No attached device can run it (the device is absent, does not run that format or runtime, or lacks the runtime's tool, e.g. node).</summary>
    NotRunnable,
}

public sealed record RunResult(string RunId, string ModelSha256, string DeviceId, int ConfigIndex, string Runtime, RunStatus Status,
    MeasurementRecorded? Measurement, string? Reason);

public sealed record BenchReport(string PlanId, IReadOnlyList<RunResult> Runs)
{
    public int Missing => Runs.Count(r => r.Status is RunStatus.Failed or RunStatus.NotRunnable);
}

/// <summary>
/// Benchmarks models on devices through a plan kept in the event log (<see cref="BenchmarkPlanned"/>): every model ×
/// device × config is a run with a derived id, so <c>bench --resume PLAN</c> runs only what has no measurement yet,
/// whatever stopped the last invocation (the host killed, a device unplugged). With several configs, a model runs with
/// those whose runtime reads its format (<see cref="RunsOf"/>). A failed run is retried up to
/// <see cref="MaxAttempts"/> times over invocations; a run measured concurrently by another process is left to it.
/// </summary>
public sealed class RunBenchmarks(Gauge gauge)
{
    public const int MaxAttempts = 3;

    /// <summary>How long a plan waits for a lost device to come back before it leaves the rest to <c>--resume</c>.</summary>
    public TimeSpan LostDeviceWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A model a plan names that the warehouse does not hold.</summary>
    public sealed class UnknownModelException(string message) : Exception(message);

    public async Task<BenchReport> PlanAndRunAsync(BenchRequest request, IReadOnlyList<IBenchmarkTarget> targets,
        IProgress<Progress>? progress, CancellationToken ct)
    {
        var plan = await PlanAsync(request, targets, null, ct);
        return await ResumeAsync(plan.PlanId, targets, progress, ct);
    }

    /// <summary>
    /// Records the plan without running it, so a caller can say its id (for <c>--resume</c>) before the first run.
    /// A given <paramref name="planId"/> that is already recorded returns that plan unchanged: planning the same work
    /// under the same id again (e.g. every <c>demo</c>) resumes it instead of starting over.
    /// </summary>
    public async Task<BenchmarkPlanned> PlanAsync(BenchRequest request, IReadOnlyList<IBenchmarkTarget> targets, string? planId,
        CancellationToken ct)
    {
        var log = new EventLog(gauge.Store);
        if (planId is not null && await PlannedAsync(log, planId, ct) is { } recorded) return recorded;
        var ledger = (await log.ModelsAsync(ct)).ToDictionary(m => m.Id);
        var models = request.Models.Count > 0
            ? request.Models.Select(m => m.ToLowerInvariant()).Select(m => ledger.ContainsKey(m) ? m
                : throw new UnknownModelException($"model {m} is not in the warehouse (see `models` over GraphQL)")).ToList()
            : ledger.Values.Where(m => targets.Any(t => request.Devices.Contains(t.DeviceId) && request.Configs.Any(c => t.Runs(m.Format, c))))
                .Select(m => m.Id).ToList();
        planId ??= $"{gauge.Time.GetUtcNow():yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
        var plan = new BenchmarkPlanned(planId, models, request.Devices, request.Configs, gauge.Time.GetUtcNow());
        // A concurrent planner of the same id wins; its plan is the one recorded.
        return await log.StartStreamOnceAsync(StreamKeys.Plan(planId), [plan], ct) ? plan : (await PlannedAsync(log, planId, ct))!;
    }

    public async Task<BenchReport> ResumeAsync(string planId, IReadOnlyList<IBenchmarkTarget> targets, IProgress<Progress>? progress, CancellationToken ct)
    {
        var log = new EventLog(gauge.Store);
        var plan = await PlannedAsync(log, planId, ct) ?? throw new UnknownModelException($"no plan '{planId}' in the event log");
        var ledger = (await log.ModelsAsync(ct)).ToDictionary(m => m.Id);
        return await RunAsync(plan, ledger, targets, progress, ct);
    }

    /// <summary>How many runs a recorded plan has (see <see cref="RunsOf"/>).</summary>
    public async Task<int> CountRunsAsync(BenchmarkPlanned plan, CancellationToken ct) =>
        RunsOf(plan, (await new EventLog(gauge.Store).ModelsAsync(ct)).ToDictionary(m => m.Id)).Count;

    /// <summary>
    /// A plan's runs: every model × device × config whose runtime reads the model's format (a host plan holds one config
    /// for ONNX Runtime and one for LiteRT.js, and each model runs with its own). A model no config of the plan reads
    /// keeps a run per config, so the table says why it is not run.
    /// </summary>
    private static List<(string Model, string Device, int Config)> RunsOf(BenchmarkPlanned plan, IReadOnlyDictionary<string, ModelLedgerEntry> ledger)
    {
        var runs = new List<(string, string, int)>();
        var all = Enumerable.Range(0, plan.Configs.Count).ToList();
        foreach (var device in plan.Devices)
        foreach (var model in plan.Models)
        {
            string format = FormatOf(ledger, model);
            var reading = all.Where(c => RuntimeFormats.Reads(plan.Configs[c].Runtime, format)).ToList();
            runs.AddRange((reading.Count > 0 ? reading : all).Select(c => (model, device, c)));
        }
        return runs;
    }

    private static string FormatOf(IReadOnlyDictionary<string, ModelLedgerEntry> ledger, string model) =>
        ledger.TryGetValue(model, out var entry) ? entry.Format : "unknown";

    private static async Task<BenchmarkPlanned?> PlannedAsync(EventLog log, string planId, CancellationToken ct) =>
        (await log.StreamAsync(StreamKeys.Plan(planId), ct)).OfType<BenchmarkPlanned>().FirstOrDefault();

    private async Task<BenchReport> RunAsync(BenchmarkPlanned plan, IReadOnlyDictionary<string, ModelLedgerEntry> ledger,
        IReadOnlyList<IBenchmarkTarget> targets, IProgress<Progress>? progress, CancellationToken ct)
    {
        var log = new EventLog(gauge.Store);
        var results = new List<RunResult>();
        var lost = new HashSet<string>();
        var runs = RunsOf(plan, ledger);
        int done = 0;
        foreach (var (model, device, c) in runs)
        {
            ct.ThrowIfCancellationRequested();
            var config = plan.Configs[c];
            string runId = StreamKeys.PlanRunId(plan.PlanId, model, device, c);
            string format = FormatOf(ledger, model);
            var target = lost.Contains(device) ? null : targets.FirstOrDefault(t => t.DeviceId == device);
            string? unavailable = target is null ? $"device {device} is not attached"
                : !target.Runs(format, config) ? $"{device} does not run {format} models with {config.Runtime}"
                : await target.UnavailableAsync(config, ct);
            if (unavailable is not null)
                results.Add(new RunResult(runId, model, device, c, config.Runtime, RunStatus.NotRunnable, null, unavailable));
            else
            {
                // A lost device is recorded as a failed attempt; when it comes back the run is tried again (bounded).
                RunResult result;
                while ((result = await RunOnceAsync(log, target!, new BenchmarkRun(runId, plan.PlanId, model, format, config, 0), c, ct)) is
                       { Status: RunStatus.Failed, Reason: { } reason } && reason.StartsWith(LostPrefix, StringComparison.Ordinal)
                       && await target!.WaitUntilBackAsync(LostDeviceWait, ct))
                {
                }
                results.Add(result);
                if (result.Status == RunStatus.Failed && result.Reason!.StartsWith(LostPrefix, StringComparison.Ordinal)) lost.Add(device);
            }
            progress?.Report(new Progress("bench", ++done, runs.Count, "runs"));
        }
        return new BenchReport(plan.PlanId, results);
    }

    private async Task<RunResult> RunOnceAsync(EventLog log, IBenchmarkTarget target, BenchmarkRun run, int configIndex, CancellationToken ct)
    {
        RunResult Result(RunStatus status, MeasurementRecorded? measurement, string? reason) =>
            new(run.RunId, run.ModelSha256, target.DeviceId, configIndex, run.Config.Runtime, status, measurement, reason);
        string stream = StreamKeys.Run(run.RunId);
        var history = await log.StreamAsync(stream, ct);
        if (history.OfType<MeasurementRecorded>().FirstOrDefault() is { } earlier)
            return Result(RunStatus.AlreadyMeasured, earlier, null);
        int attempts = history.OfType<BenchmarkFailed>().Count();
        if (attempts >= MaxAttempts)
            return Result(RunStatus.GaveUp, null, history.OfType<BenchmarkFailed>().Last().Reason);
        run = run with { Attempt = attempts + 1 };
        IGaugeEvent outcome;
        if (!gauge.Blobs.Contains(run.ModelSha256))
            outcome = Failure(run, target, $"model bytes are not in the blob store {gauge.Blobs.Root}");
        else
        {
            try
            {
                outcome = await target.RunAsync(run, gauge.Blobs.Get(run.ModelSha256), ct);
            }
            catch (DeviceLostException e)
            {
                outcome = Failure(run, target, $"{LostPrefix}{e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = Failure(run, target, $"{target.DeviceId}: {e.Message}");
            }
        }
        if (outcome is MeasurementRecorded measured)
        {
            // Appended only if the run's stream is as read: a concurrent resume that measured it first wins.
            return await log.AppendIfUnchangedAsync(stream, history.Count, measured, ct)
                ? Result(RunStatus.Measured, measured, null)
                : Result(RunStatus.AlreadyMeasured, null, "measured by another process meanwhile");
        }
        var failed = (BenchmarkFailed)outcome;
        await log.AppendIfUnchangedAsync(stream, history.Count, failed, ct);
        return Result(RunStatus.Failed, null, failed.Reason);
    }

    private const string LostPrefix = "device lost: ";

    private BenchmarkFailed Failure(BenchmarkRun run, IBenchmarkTarget target, string reason) =>
        new(run.RunId, run.PlanId, run.ModelSha256, target.DeviceId, run.Config.Runtime, run.Config.Backend, run.Config.Threads,
            reason, run.Attempt, gauge.Time.GetUtcNow());
}
