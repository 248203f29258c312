using System.Diagnostics;
using System.Text.Json.Nodes;
using GaugeNN.Tests.Shared;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Generated snapshots (tools/synth-corpus.py), with the generator's own ground truth beside them.</summary>
public static class SyntheticCorpus
{
    /// <summary>Writes a corpus under <paramref name="root"/>/synth and returns its folder.</summary>
    public static string Generate(string root, int apps, int snapshots, int seed, params string[] more)
    {
        string corpus = Path.Combine(root, "synth");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepositoryRoot.Path, "tools", "synth-corpus.py"), corpus, "--apps", $"{apps}",
                     "--snapshots", $"{snapshots}", "--seed", $"{seed}", "--model-pool", "small", "--per-app",
                     "--models", RepositoryRoot.Fixture("models") }.Concat(more))
            start.ArgumentList.Add(a);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        string output = python.StandardOutput.ReadToEnd() + python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"synth-corpus.py failed: {output}");
        return corpus;
    }

    public static JsonNode Truth(string corpus) => JsonNode.Parse(File.ReadAllText(Path.Combine(corpus, "expected.json")))!;

    public static List<string> Snapshots(string corpus) =>
        Truth(corpus)["snapshots"]!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
}
