using System.Diagnostics;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>What a child process wrote and how it ended.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr);

/// <summary>The child did not end within its time limit (it was killed with its children).</summary>
internal sealed class ChildTimeoutException(string message) : Exception(message);

/// <summary>
/// Runs a program to its end with bytes on its stdin, collecting stdout and stderr. A time limit or a cancellation
/// kills its whole process tree (node and anything it started), so nothing outlives the run.
/// </summary>
internal static class ChildProcess
{
    public static async Task<ChildResult> RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory,
        ReadOnlyMemory<byte> stdin, TimeSpan limit, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory, UseShellExecute = false,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(limit);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, deadline.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child ended without reading all of its input; its exit and output say why.
            }
            await process.WaitForExitAsync(deadline.Token);
            return new ChildResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(); // reaped before the caller goes on: nothing of the run is left running
            cancellation.ThrowIfCancellationRequested();
            throw new ChildTimeoutException($"{Path.GetFileName(program)} did not finish within {limit.TotalSeconds:0} s and was killed");
        }
    }
}
