using System.Text.Json.Nodes;
using GaugeNN.Integration.Tests;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// What the fixture corpus holds, from its ground truth (tests/fixtures/expected.json, expected-models.json and the
/// samples' listings), written independently of gaugeNN: the numbers each chart must show.
/// </summary>
public static class Truth
{
    public static JsonObject Snapshots => Repo.Expected["snapshots"]!.AsObject();

    public static IReadOnlyList<string> SnapshotIds => [.. Snapshots.Select(s => s.Key)];

    public static JsonNode Snapshot(string id) => Snapshots[id]!;

    private static IEnumerable<(string Snapshot, string Package, JsonNode App)> Apps =>
        Snapshots.SelectMany(s => s.Value!["apps"]!.AsObject().Select(a => (s.Key, a.Key, a.Value!)));

    /// <summary>Every model file of every app, encrypted ones included, with where it is.</summary>
    private static IEnumerable<(string Snapshot, string Package, JsonNode Model, bool Encrypted)> ModelFiles =>
        Apps.SelectMany(a => a.App["models"]!.AsArray().Select(m => (a.Snapshot, a.Package, m!, false))
            .Concat(a.App["encryptedModels"]!.AsArray().Select(m => (a.Snapshot, a.Package, m!, true))));

    /// <summary>Apps of a snapshot shipping at least one identified model of each framework.</summary>
    public static Dictionary<string, int> AppsByFramework(string snapshot) =>
        ModelFiles.Where(f => f.Snapshot == snapshot && !f.Encrypted)
            .Select(f => (Framework: (string)f.Model["framework"]!, f.Package)).Distinct()
            .GroupBy(x => x.Framework).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Per listed category of a snapshot: its apps, and those shipping at least one identified model.</summary>
    public static Dictionary<string, (int Dl, int Apps)> Categories(string snapshot) =>
        File.ReadLines(Path.Combine(Repo.Snapshot(snapshot), "listing.jsonl"))
            .Select(line => JsonNode.Parse(line)!)
            .Select(l => (Category: (string)l["category"]!, Dl: Snapshot(snapshot)["apps"]![(string)l["package"]!]!["models"]!.AsArray().Count > 0))
            .GroupBy(l => l.Category).ToDictionary(g => g.Key, g => (g.Count(x => x.Dl), g.Count()));

    /// <summary>Distinct apps shipping each model (by sha256) over every snapshot, encrypted models included.</summary>
    public static Dictionary<string, int> AppsPerModel() =>
        ModelFiles.GroupBy(f => (string)f.Model["sha256"]!).ToDictionary(g => g.Key, g => g.Select(f => f.Package).Distinct().Count());

    /// <summary>Model files with each sha256 over every snapshot.</summary>
    public static Dictionary<string, int> FilesPerModel() =>
        ModelFiles.GroupBy(f => (string)f.Model["sha256"]!).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Size of each unique identified model shipped in a snapshot (null: any snapshot).</summary>
    public static Dictionary<string, long> IdentifiedModelSizes(string? snapshot = null) =>
        ModelFiles.Where(f => !f.Encrypted && (snapshot is null || f.Snapshot == snapshot))
            .GroupBy(f => (string)f.Model["sha256"]!).ToDictionary(g => g.Key, g => (long)g.First().Model["size"]!);

    /// <summary>expected-models.json: per sha256 the facts an independent tool computed (quantized, macs, …).</summary>
    public static Dictionary<string, JsonNode> ModelFacts() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "tests", "fixtures", "expected-models.json")))!["models"]!.AsObject()
            .ToDictionary(m => (string)m.Value!["sha256"]!, m => m.Value!);

    public static JsonObject ChurnSummary(string from, string to) =>
        Repo.Expected["churn"]!.AsArray().Single(c => (string)c!["from"]! == from && (string)c["to"]! == to)!["summary"]!.AsObject();
}
