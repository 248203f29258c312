using GaugeNN.Application.Measuring;
using GaugeNN.Application.UseCases;
using GaugeNN.Events;
using GaugeNN.Measure.Adb.Tests;
using GaugeNN.Measure.Runners.Device;
using GaugeNN.Measure.Runners.Host;
using Marten;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// A benchmark on a device through the real adb server and a real adbd (tools/test-device.sh's chroot with the Galaxy
/// S21 profile): registration from getprop, runner and model pushed and verified, temperatures and fuel-gauge energy
/// recorded, the result beside the host's in a comparison by tier; a device lost mid-plan is a failure, and
/// <c>--resume</c> completes the plan with no duplicate.
/// </summary>
[Collection(DeviceCollection.Name)]
public sealed class DeviceBenchmarkTests(TestDevice device)
{
    /// <summary>cls.onnx of the sample corpus (2020-02's ocrscan app).</summary>
    private const string Model = "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640";

    private static BenchmarkConfig Onnx(int runs) => HostOptions.Config(warmupRuns: 2, timedRuns: runs, threads: 1,
        options: new Dictionary<string, string> { ["idleS"] = "1" });

    [DeviceFact]
    public async Task the_test_device_registers_with_its_profile_s_model_soc_tier_and_year()
    {
        await using var w = new Workspace();
        var registered = await AdbTarget.Describe(w.Gauge, device.Client, device.Serial, CancellationToken.None);

        Assert.Equal(("samsung", "SM-G991B", "Galaxy S", "high", 2021, false),
            (registered.Manufacturer, registered.Model, registered.Family, registered.Tier, registered.Year, registered.Inferred));
        Assert.Contains("Exynos 2100", registered.Soc);
        Assert.Equal("arm64-v8a", registered.Abi);
        Assert.Equal((8, 4, 4, 2912), (registered.Cores, registered.BigCores, registered.LittleCores, registered.BigCoreMaxMhz));
        Assert.Equal("samsung-SM-G991B-R5CR10GAUGE", registered.DeviceId);
    }

    private const int TimedRuns = 12_000;

    [DeviceFact]
    public async Task a_device_benchmark_records_temperatures_and_fuel_gauge_energy_and_compares_by_tier_beside_the_host()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        var phone = await AdbTarget.ConnectAsync(w.Gauge, device.Client, device.Serial, new DeviceToolsFolder(null), CancellationToken.None);
        await new RegisterDevice(w.Gauge).HostAsync(CancellationToken.None);

        // Enough runs for a timed window of over a second on a fast machine (3,000 lasted 0.4 s: 4 samples at 10 Hz).
        var report = await new RunBenchmarks(w.Gauge).PlanAndRunAsync(new BenchRequest([Model], [phone.DeviceId, "host"], [Onnx(TimedRuns)]),
            [phone, new HostTarget(w.Gauge)], null, CancellationToken.None);

        Assert.All(report.Runs, r => Assert.True(r.Status == RunStatus.Measured, $"{r.DeviceId}: {r.Status} {r.Reason}"));
        var onPhone = report.Runs.Single(r => r.DeviceId == phone.DeviceId).Measurement!;
        Assert.Equal(("onnxruntime", "cpu", "measured", TimedRuns), (onPhone.Runtime, onPhone.Backend, onPhone.Provenance, onPhone.TimedRuns));
        Assert.NotNull(onPhone.TempBeforeC);
        Assert.NotNull(onPhone.TempAfterC);
        Assert.True(onPhone.EnergyMjPerInference > 0, string.Join(", ", onPhone.Conditions));
        Assert.True(onPhone.PowerSamples >= 5 && onPhone.PowerSampleHz >= 9, $"{onPhone.PowerSamples} samples at {onPhone.PowerSampleHz} Hz");
        Assert.Equal("fuel-gauge", onPhone.Conditions["energyMethod"]);
        Assert.Contains("schedutil", onPhone.Conditions["governor"]);
        Assert.Equal("on", onPhone.Conditions["screen"]);
        Assert.True(onPhone.TimedStart < onPhone.TimedEnd);

        var compared = (await w.GraphQLAsync($$"""{ compare(model: "{{Model}}", by: TIER) { key runs p50Ms energyMjPerInference } }"""))["compare"]!.AsArray();
        Assert.Equal(["high", "host"], compared.Select(c => (string)c!["key"]!).Order());
        Assert.Equal(onPhone.P50Ms, (double)compared.Single(c => (string)c!["key"]! == "high")!["p50Ms"]!);
    }

    [DeviceFact]
    public async Task adbd_stopped_mid_plan_is_a_failure_and_resume_completes_the_plan_with_no_duplicate()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        var phone = await AdbTarget.ConnectAsync(w.Gauge, device.Client, device.Serial, new DeviceToolsFolder(null), CancellationToken.None);
        // Three configs: the device goes away during the second.
        var configs = new[] { 1, 2, 3 }.Select(threads => HostOptions.Config(2, 400, threads, new Dictionary<string, string> { ["idleS"] = "1" })).ToList();
        var bench = new RunBenchmarks(w.Gauge) { LostDeviceWait = TimeSpan.FromSeconds(1) };

        var planning = bench.PlanAndRunAsync(new BenchRequest([Model], [phone.DeviceId], configs), [phone], null, CancellationToken.None);
        await WaitForAsync(w, events => events.OfType<MeasurementRecorded>().Any(), TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(3)); // into the second run's timed loop
        Assert.Equal(0, (await TestDevice.Run(TestDevice.Script, "down")).Code);
        var interrupted = await planning;
        Assert.Contains(interrupted.Runs, r => r.Status == RunStatus.Failed && r.Reason!.Contains("device lost"));
        Assert.True(interrupted.Missing > 0);

        await device.InitializeAsync(); // tools/test-device.sh up again
        var resumed = await bench.ResumeAsync(interrupted.PlanId,
            [await AdbTarget.ConnectAsync(w.Gauge, device.Client, device.Serial, new DeviceToolsFolder(null), CancellationToken.None)],
            null, CancellationToken.None);

        Assert.All(resumed.Runs, r => Assert.Contains(r.Status, new[] { RunStatus.Measured, RunStatus.AlreadyMeasured }));
        var events = await w.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).ToList());
        var measured = events.OfType<MeasurementRecorded>().ToList();
        Assert.Equal(3, measured.Count);
        Assert.Equal(3, measured.Select(m => m.RunId).Distinct().Count());
        Assert.Contains(events.OfType<BenchmarkFailed>(), f => f.Reason.Contains("device lost"));
    }

    private static async Task WaitForAsync(Workspace w, Func<IReadOnlyList<object>, bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(await w.WithEventsAsync(async s => (await s.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).ToList())))
                return;
            await Task.Delay(200);
        }
        Assert.Fail("the condition did not come true in time");
    }
}
