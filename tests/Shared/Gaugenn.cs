using System.Diagnostics;
using System.Text;
using GaugeNN.Application;

namespace GaugeNN.Tests.Shared;

/// <summary>
/// Where a <c>gaugenn</c> process works: its data folder (<c>GAUGENN_HOME</c>) and its PostgreSQL (<c>GAUGENN_PG</c>;
/// null: the data folder's own private cluster).
/// </summary>
public sealed record CliEnvironment(string Home, string? Postgres);

/// <summary>The exit of a finished <c>gaugenn</c> process, with everything it printed (for failure messages only).</summary>
public sealed record CliExit(int Code, string Output, TimeSpan Took)
{
    public override string ToString() => $"exit {Code} after {Took.TotalSeconds:0.0} s:\n{Output}";
}

/// <summary>
/// The real <c>gaugenn</c> CLI as a child process: <c>dotnet gaugenn.dll</c>, built beside the tests by the project
/// reference. Only the verbs, flags and exit codes that stay stable are used; state is checked in PostgreSQL, DuckDB and
/// the files, never in the printed text.
/// </summary>
public sealed class Gaugenn : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "gaugenn.dll");
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _command;

    private Gaugenn(CliEnvironment environment, IReadOnlyList<string> args)
    {
        _command = "gaugenn " + string.Join(' ', args.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = environment.Home,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment[DataFolder.HomeVariable] = environment.Home;
        if (environment.Postgres is null) start.Environment.Remove(DataFolder.PostgresVariable);
        else start.Environment[DataFolder.PostgresVariable] = environment.Postgres;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Directory.CreateDirectory(environment.Home);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public TimeSpan Elapsed => _clock.Elapsed;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static Gaugenn Start(CliEnvironment environment, params string[] args) => new(environment, args);

    /// <summary>Runs a command to its end.</summary>
    public static async Task<CliExit> RunAsync(CliEnvironment environment, params string[] args)
    {
        using var process = Start(environment, args);
        return await process.ExitAsync();
    }

    /// <summary>Waits for the exit; a process still running after <paramref name="timeout"/> is killed and the test fails.</summary>
    public async Task<CliExit> ExitAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_command} did not exit within {(timeout ?? DefaultTimeout).TotalSeconds:0} s:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return new CliExit(_process.ExitCode, $"$ {_command}\n{Output}", _clock.Elapsed);
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed; what it started itself keeps running.</summary>
    public void Kill() => Signals.Send(Pid, Signals.Kill);

    /// <summary>SIGTERM, as systemd and container runtimes stop a service: <c>serve</c> stops cleanly on it.</summary>
    public void Terminate() => Signals.Send(Pid, Signals.Terminate);

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
