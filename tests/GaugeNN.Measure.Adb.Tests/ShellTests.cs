using System.Text;

namespace GaugeNN.Measure.Adb.Tests;

[Collection(DeviceCollection.Name)]
public sealed class ShellTests(TestDevice device)
{
    [DeviceFact]
    public async Task shell_v2_keeps_stdout_stderr_and_the_exit_code_apart()
    {
        AdbShellResult r = await device.Device.ShellAsync("echo out; echo err >&2; exit 3");
        Assert.Equal(AdbShellProtocol.V2, r.Protocol);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out\n", r.StdoutText);
        Assert.Equal("err\n", r.StderrText);
    }

    [DeviceFact]
    public async Task shell_v2_reports_exit_codes_0_and_255_and_a_signal_death()
    {
        Assert.Equal(0, (await device.Device.ShellAsync("true")).ExitCode);
        Assert.Equal(255, (await device.Device.ShellAsync("exit 255")).ExitCode);
        Assert.Equal(137, (await device.Device.ShellAsync("kill -9 $$")).ExitCode); // 128 + SIGKILL, as sh reports it
    }

    [DeviceFact]
    public async Task shell_v2_carries_megabytes_of_output_intact()
    {
        AdbShellResult r = await device.Device.ShellAsync("head -c 3000000 /dev/zero | tr '\\0' 'a'; head -c 1000 /dev/zero | tr '\\0' 'b' >&2");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3_000_000, r.Stdout.Length);
        Assert.All(r.Stdout, b => Assert.Equal((byte)'a', b));
        Assert.Equal(new string('b', 1000), r.StderrText);
    }

    [DeviceFact]
    public async Task shell_v2_stdin_reaches_the_command_and_closing_it_ends_the_command()
    {
        await using AdbShellSession session = await device.Device.OpenShellAsync("tr a-z A-Z");
        await session.WriteInputAsync(Encoding.ASCII.GetBytes("hello device\n"));
        await session.CloseInputAsync();
        var output = new StringBuilder();
        while (await session.ReadAsync() is { } piece) output.Append(Encoding.ASCII.GetString(piece.Data.Span));
        Assert.Equal("HELLO DEVICE\n", output.ToString());
        Assert.Equal(0, session.ExitCode);
    }

    [DeviceFact]
    public async Task forced_shell_fallback_recovers_the_exit_code_and_merges_stderr()
    {
        AdbShellResult r = await device.Device.ShellAsync("echo out; echo err >&2; exit 7", AdbShellMode.Legacy);
        Assert.Equal(AdbShellProtocol.Legacy, r.Protocol);
        Assert.Equal(7, r.ExitCode);
        Assert.Contains("out", r.StdoutText);
        Assert.Contains("err", r.StdoutText);
        Assert.Empty(r.Stderr);
    }

    [DeviceFact]
    public async Task forced_shell_fallback_keeps_output_without_a_final_newline_and_large_output()
    {
        AdbShellResult r = await device.Device.ShellAsync("printf abc", AdbShellMode.Legacy);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("abc", r.StdoutText);
        r = await device.Device.ShellAsync("head -c 1000000 /dev/zero | tr '\\0' 'z'; false", AdbShellMode.Legacy);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(1_000_000, r.Stdout.Length);
        Assert.All(r.Stdout, b => Assert.Equal((byte)'z', b));
    }

    [DeviceFact]
    public async Task quoted_arguments_reach_the_device_unchanged()
    {
        string odd = "it's a \"test\" $HOME `x` \\ end";
        AdbShellResult r = await device.Device.ShellAsync($"printf '%s' {AdbDeviceClient.Quote(odd)}");
        Assert.Equal(odd, r.StdoutText);
    }

    [DeviceFact]
    public async Task cancelling_a_running_command_returns_promptly()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.Device.ShellAsync("sleep 30", ct: cts.Token));
    }
}
