namespace GaugeNN.Cli.Tests;

/// <summary>The ingest caps given on the command line reach the scanner; the apps they stop are failures, the rest goes on.</summary>
public sealed class IngestCapsTests(Home home) : IClassFixture<Home>
{
    [Fact]
    public async Task an_entry_cap_of_1_mib_fails_the_apps_with_larger_entries_and_names_the_cap()
    {
        var outcome = await home.RunAsync("ingest", "--snapshot", "2021-04", "samples/snapshots/2021-04", "--max-entry-mb", "1", "--json", "--quiet");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = outcome.Json();
        Assert.Equal(14, report["appsRead"]!.GetValue<int>());
        var failures = report["firstFailures"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.Equal(report["scanFailures"]!.GetValue<int>(), failures.Count);
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Contains("exceeds the entry cap of 1048576", f));
        Assert.Contains(failures, f => f.Contains("'assets/vad/silero_vad_v5.onnx': entry of 2327524 bytes"));
    }
}
