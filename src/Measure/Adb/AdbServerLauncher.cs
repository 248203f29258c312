using System.Diagnostics;

namespace GaugeNN.Measure.Adb;

/// <summary>
/// Starts the adb server with <c>adb start-server</c> when none answers. The executable is the one given, else
/// <c>adb</c> found on PATH; when there is none, the error says how to install it.
/// </summary>
internal sealed class AdbServerLauncher(AdbServerEndpoint endpoint, string? executable, AdbLimits limits, TimeProvider time)
{
    public const string InstallHint = "install it with `apt-get install adb` (Debian/Ubuntu), or put the Android SDK platform-tools on PATH";

    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task StartAsync(CancellationToken ct)
    {
        if (endpoint.StartSpec is null)
            throw new AdbException(AdbErrorKind.ServerUnavailable, "start-server", $"an adb server at {endpoint.Spec}",
                "no answer, and a server on another machine cannot be started from here");
        string adb = executable ?? Executables.OnPath("adb")
            ?? throw new AdbException(AdbErrorKind.ServerUnavailable, "start-server",
                $"an adb server at {endpoint.Spec}, or the adb executable to start one",
                $"no server and no adb on PATH; {InstallHint}");
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var start = new ProcessStartInfo(adb) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("start-server");
            start.Environment["ADB_SERVER_SOCKET"] = endpoint.StartSpec;
            using Process process = Process.Start(start)
                ?? throw new AdbException(AdbErrorKind.ServerUnavailable, "start-server", $"{adb} to start", "no process");
            // The server daemonises and points its own stdout/stderr at its log, so these pipes reach end of stream.
            Task<string> output = process.StandardOutput.ReadToEndAsync(ct);
            Task<string> errors = process.StandardError.ReadToEndAsync(ct);
            using var timeout = new CancellationTokenSource(limits.ServerStartTimeout, time);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: false);
                throw new AdbException(AdbErrorKind.ServerUnavailable, "start-server",
                    $"`{adb} start-server` to finish", $"still running after {limits.ServerStartTimeout.TotalSeconds:0} s");
            }
            if (process.ExitCode != 0)
            {
                string said = (await errors.ConfigureAwait(false) + await output.ConfigureAwait(false)).Trim();
                throw new AdbException(AdbErrorKind.ServerUnavailable, "start-server", $"`{adb} start-server` to exit 0",
                    $"exit code {process.ExitCode}: {said}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AdbException(AdbErrorKind.ServerUnavailable, "start-server", $"{adb} to run", $"{e.Message}; {InstallHint}", e);
        }
        finally
        {
            gate.Release();
        }
    }
}
