using System.Diagnostics;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Cli.Tests;

/// <summary>tools/synth-corpus.py, as the README runs it: its default models, and nothing left behind when it fails or is stopped.</summary>
public sealed class SynthCorpusTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gaugenn-synth-").FullName;

    private Process Start(params string[] args) =>
        Process.Start(new ProcessStartInfo("python3", [Path.Combine(RepositoryRoot.Path, "tools", "synth-corpus.py"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root,
        })!;

    [Fact]
    public async Task a_run_that_fails_leaves_no_folder_behind()
    {
        Directory.CreateDirectory(Path.Combine(_root, "no-models"));
        using var python = Start("out", "--apps", "20", "--models", "no-models");
        string said = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.NotEqual(0, python.ExitCode);
        Assert.Contains("no models found", said);
        Assert.Equal(["no-models"], Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task a_run_stopped_by_sigterm_leaves_no_folder_behind_and_a_finished_one_uses_the_projects_models()
    {
        using (var stopped = Start("big", "--apps", "50000", "--snapshots", "1"))
        {
            var waited = Stopwatch.StartNew();
            while (!Directory.EnumerateDirectories(_root, ".big.partial-*").Any() && waited.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(20);
            Assert.NotEmpty(Directory.EnumerateDirectories(_root, ".big.partial-*"));
            Assert.True(Signals.Send(stopped.Id, Signals.Terminate));
            await stopped.WaitForExitAsync();
            Assert.True(stopped.ExitCode == 128 + Signals.Terminate, $"exit {stopped.ExitCode} after {waited.Elapsed}: {await stopped.StandardError.ReadToEndAsync()}");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));

        using var done = Start("small", "--apps", "30", "--snapshots", "2");
        string said = await done.StandardError.ReadToEndAsync();
        await done.WaitForExitAsync();
        Assert.True(done.ExitCode == 0, said);
        Assert.Equal(["small"], Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName));
        Assert.Equal(["2020-02", "2020-08", "expected.json"], Directory.EnumerateFileSystemEntries(Path.Combine(_root, "small")).Select(Path.GetFileName).Order());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
