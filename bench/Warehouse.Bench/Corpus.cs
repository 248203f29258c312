using System.Diagnostics;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Warehouse.Bench;

/// <summary>Corpora from tools/synth-corpus.py, generated once into a cache folder outside the repository.</summary>
public static class Corpus
{
    /// <summary>
    /// The corpus in <paramref name="folder"/>, generated when its expected.json is missing; returns its snapshot folders
    /// (named by month, in capture order).
    /// </summary>
    public static IReadOnlyList<string> Ensure(string folder, int apps, int snapshots, int seed, string start)
    {
        if (!File.Exists(Path.Combine(folder, "expected.json")))
        {
            Console.WriteLine($"generating {apps} apps x {snapshots} snapshots into {folder} (cached for later runs)");
            var python = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(RepositoryRoot.Path, "tools", "synth-corpus.py"), folder, "--apps", $"{apps}",
                         "--snapshots", $"{snapshots}", "--seed", $"{seed}", "--start", start, "--model-pool", "small",
                         "--models", RepositoryRoot.Fixture("models") })
                python.ArgumentList.Add(a);
            using var run = Process.Start(python) ?? throw new InvalidOperationException("python3 could not be started");
            var stdout = run.StandardOutput.ReadToEndAsync();
            string stderr = run.StandardError.ReadToEnd();
            run.WaitForExit();
            if (run.ExitCode != 0) throw new InvalidOperationException($"synth-corpus.py failed: {stdout.Result}{stderr}");
        }
        return Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "listing.jsonl"))).Order(StringComparer.Ordinal).ToList();
    }
}
