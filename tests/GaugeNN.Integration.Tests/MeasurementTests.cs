using GaugeNN.Application.Measuring;
using GaugeNN.Application.UseCases;
using GaugeNN.Events;
using GaugeNN.Measure.Import;
using GaugeNN.Measure.Runners.Host;
using GaugeNN.Tests.Shared;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// What models cost, end to end: the host runner measures every ONNX model of the sample corpus it can run (the rest
/// is a failure with ONNX Runtime's message), imported benchmark_model logs of two catalogued phones sit beside the
/// host in a comparison by tier with the logs' figures exactly, an import is idempotent and a malformed log is refused
/// with its line.
/// </summary>
public sealed class MeasurementTests
{
    private const string Cls = "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640"; // assets/ocr/cls.onnx

    private static string Log(string name) => RepositoryRoot.Fixture(Path.Combine("benchmark-logs", name));

    [Fact]
    public async Task the_host_runner_measures_every_onnx_model_it_can_run_and_records_why_it_cannot_run_the_rest()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await new RegisterDevice(w.Gauge).HostAsync(CancellationToken.None);

        var report = await new RunBenchmarks(w.Gauge).PlanAndRunAsync(new BenchRequest([], ["host"], [HostOptions.Config(1, 5, 1)]),
            [new HostTarget(w.Gauge)], null, CancellationToken.None);

        var onnx = await w.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data)
            .OfType<ModelFileFound>().Where(m => m.Format == "onnx" && !m.Encrypted).Select(m => m.Sha256).Distinct().Order().ToList());
        Assert.Equal(onnx, report.Runs.Select(r => r.ModelSha256).Order());
        Assert.Contains(report.Runs, r => r.ModelSha256 == Cls && r.Status == RunStatus.Measured);
        Assert.All(report.Runs, r => Assert.True(r.Status == RunStatus.Measured || r.Reason is { Length: > 0 }, $"{r.ModelSha256}: {r.Status}"));

        var measured = Workspace.Nodes((await w.GraphQLAsync($$"""{ measurements(filter: { device: "host" }, first: 100) { edges { node { modelSha256 runtime timedRuns p50Ms } } } }"""))["measurements"]);
        Assert.Equal(report.Runs.Count(r => r.Status == RunStatus.Measured), measured.Count);
        Assert.All(measured, m => Assert.Equal(5, (int)m!["timedRuns"]!));
    }

    [Fact]
    public async Task benchmark_logs_of_two_phones_of_different_tiers_compare_by_tier_beside_the_host_with_the_logs_figures_exactly()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await new RegisterDevice(w.Gauge).HostAsync(CancellationToken.None);
        await new RunBenchmarks(w.Gauge).PlanAndRunAsync(new BenchRequest([Cls], ["host"], [HostOptions.Config(1, 5, 1)]),
            [new HostTarget(w.Gauge)], null, CancellationToken.None);
        var import = new ImportResults(w.Gauge);

        var high = await import.RunAsync(new ImportRequest(ImportKind.BenchmarkLog, Log("tflite-gpu-percentiles.log"), "SM-G991B", Cls), CancellationToken.None);
        var low = await import.RunAsync(new ImportRequest(ImportKind.BenchmarkLog, Log("tflite-logcat-nnapi.log"), "SM-A125F", Cls), CancellationToken.None);
        var again = await import.RunAsync(new ImportRequest(ImportKind.BenchmarkLog, Log("tflite-gpu-percentiles.log"), "SM-G991B", Cls), CancellationToken.None);

        Assert.Equal((1, 1, 0), (high.RunsAppended, low.RunsAppended, again.RunsAppended));
        var data = await w.GraphQLAsync($$"""
            { compare(model: "{{Cls}}", by: TIER) { key devices runs meanMs p50Ms }
              devices { id tier year family inferred } }
            """);
        var byTier = data["compare"]!.AsArray().ToDictionary(c => (string)c!["key"]!, c => c!);
        Assert.Equal(["high", "host", "low"], byTier.Keys.Order());
        Assert.Equal(115.246, (double)byTier["high"]["meanMs"]!);   // avg=115246 µs
        Assert.Equal(115.35, (double)byTier["high"]["p50Ms"]!);     // median=115350 µs
        Assert.Equal(1.562, (double)byTier["low"]["meanMs"]!);      // curr=1562(all same)
        Assert.Equal(1, (int)byTier["low"]["runs"]!);
        var devices = data["devices"]!.AsArray().ToDictionary(d => (string)d!["id"]!, d => d!);
        Assert.Equal(("high", 2021, "Galaxy S"), ((string)devices["SM-G991B"]["tier"]!, (int)devices["SM-G991B"]["year"]!, (string)devices["SM-G991B"]["family"]!));
        Assert.Equal(("low", 2020, "Galaxy A"), ((string)devices["SM-A125F"]["tier"]!, (int)devices["SM-A125F"]["year"]!, (string)devices["SM-A125F"]["family"]!));
    }

    [Fact]
    public async Task a_malformed_log_is_refused_with_its_line_and_appends_nothing()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        string broken = Path.Combine(w.Root, "broken.log");
        var lines = File.ReadAllLines(Log("tflite-gpu-percentiles.log")).ToList();
        int at = lines.FindIndex(l => l.Contains("count=50"));
        lines[at] = lines[at].Replace("avg=115246", "avg=lots");
        File.WriteAllLines(broken, lines);
        long before = await w.EventCountAsync();

        var refused = await Assert.ThrowsAsync<BenchmarkLogException>(() =>
            new ImportResults(w.Gauge).RunAsync(new ImportRequest(ImportKind.BenchmarkLog, broken, "SM-G991B", Cls), CancellationToken.None));

        Assert.Equal(at + 1, refused.Line);
        Assert.Equal(before, await w.EventCountAsync() - await w.WithEventsAsync(async s =>
            (long)(await s.Events.QueryAllRawEvents().ToListAsync()).Count(e => e.Data is DeviceRegistered)));
    }

    [Fact]
    public async Task a_log_that_names_no_known_model_asks_for_one()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        var e = await Assert.ThrowsAsync<ImportTargetException>(() =>
            new ImportResults(w.Gauge).RunAsync(new ImportRequest(ImportKind.BenchmarkLog, Log("tflite-gpu-percentiles.log"), "SM-G991B"), CancellationToken.None));
        Assert.Contains("mobilenet_quant_v1_224.tflite", e.Message);
        Assert.Contains("--model", e.Message);
    }
}
