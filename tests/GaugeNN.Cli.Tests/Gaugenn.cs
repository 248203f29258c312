using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Cli.Tests;

/// <summary>How one run of the real gaugenn process ended.</summary>
public sealed record Outcome(int ExitCode, string Stdout, string Stderr, TimeSpan Took)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Stdout as the one JSON document <c>--json</c> promises (fails the test with both streams when it is not).</summary>
    public JsonNode Json()
    {
        try
        {
            return JsonNode.Parse(Stdout) ?? throw new FormatException("null document");
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON document ({e.Message}):\n{this}");
        }
    }

    public override string ToString() => $"exit {ExitCode} after {Took.TotalSeconds:0.0} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The real <c>gaugenn</c>: the dll the build of this test project produced (its path is recorded in this assembly),
/// run as <c>dotnet gaugenn.dll</c> with a clean environment: no GAUGENN_* variable but those a test gives, and
/// GAUGENN_ROOT set to the repository (as the launcher does).
/// </summary>
public static class Gaugenn
{
    public static string Dll { get; } = typeof(Gaugenn).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GaugennDll").Value!;

    /// <summary>The dotnet host by absolute path, so that a test may run gaugenn with any PATH.</summary>
    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).First(File.Exists);

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static async Task<Outcome> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null)
    {
        await using var process = Start(args, env);
        return await process.WaitAsync(timeout ?? DefaultTimeout);
    }

    public static RunningGaugenn Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env = null) => new(Command(Dotnet, args, env));

    /// <summary>The start info of gaugenn under <paramref name="file"/> (dotnet, or a wrapper such as unshare that runs it).</summary>
    public static ProcessStartInfo Command(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env, bool viaDotnet = true)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path, // relative paths in tests are the repository's
        };
        if (viaDotnet) start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GAUGENN_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["GAUGENN_ROOT"] = RepositoryRoot.Path;
        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
            start.Environment[key] = value;
        return start;
    }
}

/// <summary>A gaugenn process the test talks to while it runs: its output so far, signals, its end.</summary>
public sealed class RunningGaugenn : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunningGaugenn(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data, _stdoutDone);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data, _stderrDone);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    private static void Append(StringBuilder to, string? line, TaskCompletionSource done)
    {
        if (line is null)
        {
            done.TrySetResult();
            return;
        }
        lock (to) to.Append(line).Append('\n');
    }

    /// <summary>Waits until stderr (or stdout) holds <paramref name="text"/>; fails with both streams if the process ends first or time runs out.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout, bool onStdout = false)
    {
        var until = Stopwatch.StartNew();
        while (!(onStdout ? Stdout : Stderr).Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || until.Elapsed > timeout)
                throw new Xunit.Sdk.XunitException($"'{text}' never appeared ({(_process.HasExited ? "the process ended" : "timed out")}):\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
            await Task.Delay(25);
        }
    }

    public void Signal(int signal)
    {
        if (!Signals.Send(_process.Id, signal)) throw new InvalidOperationException($"process {_process.Id} is gone: signal {signal} not sent");
    }

    public async Task<Outcome> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"gaugenn did not end within {timeout.TotalSeconds:0} s:\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
        }
        return new Outcome(_process.ExitCode, Stdout, Stderr, _clock.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
