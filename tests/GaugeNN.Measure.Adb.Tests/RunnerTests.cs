using System.Globalization;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Measure.Adb.Tests;

/// <summary>The ONNX Runtime runner of tools/device, pushed and run on the test device as a benchmark host would.</summary>
[Collection(DeviceCollection.Name)]
public sealed class RunnerTests(TestDevice device)
{
    [DeviceFact]
    public async Task pushed_runner_times_an_onnx_model_with_real_onnx_runtime()
    {
        string dir = $"/data/local/tmp/gaugenn-runner-{Guid.NewGuid():N}";
        await device.Device.ShellAsync($"mkdir -p {dir}");
        try
        {
            await device.Device.PushAsync(Path.Combine(RepositoryRoot.Path, "tools", "device", "gaugenn-ort-runner.py"), $"{dir}/runner");
            await device.Device.PushAsync(RepositoryRoot.Fixture("models/onnx/silero_vad_v5.onnx"), $"{dir}/model.onnx");
            AdbShellResult r = await device.Device.ShellAsync(
                $"python3 {dir}/runner {dir}/model.onnx --runs 7 --warmup 2 --threads 1 --shape input=1x512 --fill sr=16000");
            Assert.True(r.ExitCode == 0, r.StderrText);
            string[] lines = r.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("gaugenn-ort-runner 2", lines[0]);
            Assert.StartsWith("onnxruntime 1.", lines[1]);
            Assert.Contains("providers CPUExecutionProvider", lines);
            Assert.Contains("input sr int64 -", lines);
            Assert.Contains("input input float 1x512", lines);
            Assert.Equal("done 7", lines[^1]);
            Assert.Equal([1, 2, 3, 4, 5, 6, 7], lines.Where(l => l.StartsWith("run_ms ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)));
            Assert.Equal(2, lines.Count(l => l.StartsWith("warmup_ms ", StringComparison.Ordinal)));
            Assert.True(Array.IndexOf(lines, "timed_begin") > Array.FindLastIndex(lines, l => l.StartsWith("warmup_ms ", StringComparison.Ordinal)));
            Assert.True(Array.IndexOf(lines, "timed_end") < Array.FindIndex(lines, l => l.StartsWith("run_ms ", StringComparison.Ordinal)));
            foreach (string line in lines.Where(l => l.EndsWith("_ms", StringComparison.Ordinal) || l.Contains("_ms ", StringComparison.Ordinal)))
                Assert.Matches(@"^(init_ms|first_ms|warmup_ms \d+|run_ms \d+) \d+\.\d{3}$", line);
            Assert.DoesNotContain("Schema error", r.StderrText);
        }
        finally
        {
            await device.Device.ShellAsync($"rm -rf {dir}");
        }
    }

    [DeviceFact]
    public async Task runner_fails_with_a_message_and_no_done_line_on_a_missing_model()
    {
        AdbShellResult r = await device.Device.ShellAsync("gaugenn-ort-runner /data/local/tmp/absent.onnx");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("done", r.StdoutText);
        Assert.Contains("absent.onnx", r.StderrText);
    }
}
