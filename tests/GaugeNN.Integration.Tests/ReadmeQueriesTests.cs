using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// README's Queries: every query runs on the fixture corpus without an error, the figures equal expected.json, and
/// graphql-js (npm <c>graphql</c>, what GraphiQL and client tools use) loads the live schema by the standard
/// introspection query and validates every one of them.
/// </summary>
public sealed class ReadmeQueriesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>The queries of README.md's "Queries" section: its graphql block, split at blank lines.</summary>
    public static IReadOnlyList<string> Queries()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md")).ReplaceLineEndings("\n");
        string section = readme[readme.IndexOf("\n## Queries\n", StringComparison.Ordinal)..];
        int start = section.IndexOf("```graphql\n", StringComparison.Ordinal) + "```graphql\n".Length;
        string block = section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
        return block.Split("\n\n").Select(q => q.Trim()).Where(q => q.Length > 0).ToList();
    }

    /// <summary>Every graphql block of the docs that users copy from (docs/measure.md, docs/dashboard.md), split at blank lines.</summary>
    public static IReadOnlyList<string> DocsQueries() =>
        new[] { "measure.md", "dashboard.md" }.Select(f => Path.Combine(Repo.Root, "docs", f)).Where(File.Exists)
            .SelectMany(f => File.ReadAllText(f).ReplaceLineEndings("\n").Split("```graphql\n").Skip(1).Select(b => b[..b.IndexOf("\n```", StringComparison.Ordinal)]))
            .SelectMany(b => b.Split("\n\n")).Select(q => string.Join('\n', q.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))).Trim())
            .Where(q => q.Length > 0).ToList();

    private static string Find(string start) => Queries().Single(q => q.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public async Task every_readme_query_runs_without_an_error()
    {
        var queries = Queries();
        Assert.True(queries.Count >= 8, $"README has {queries.Count} queries");
        foreach (var query in queries)
        {
            var (status, body) = await api.AnswerAsync(query);
            Assert.True(status == 200 && body["errors"] is null, $"{query}\n→ {body.ToJsonString()}");
        }
    }

    [Fact]
    public async Task the_readme_snapshot_query_gives_the_counts_and_per_format_files_of_expected_json()
    {
        var snapshots = (await api.QueryAsync(Find("{ snapshots")))["snapshots"]!.AsArray();
        Assert.Equal(["2020-02", "2021-04"], snapshots.Select(s => (string)s!["id"]!));
        foreach (var s in snapshots)
        {
            var truth = Repo.Expected["snapshots"]![(string)s!["id"]!]!;
            Assert.Equal((long)truth["appsListed"]!, (long)s["apps"]!);
            Assert.Equal((long)truth["appsWithModelsOrEncrypted"]!, (long)s["dlApps"]!);
            Assert.Equal((long)truth["modelFiles"]!, (long)s["modelFiles"]!);
            Assert.Equal((long)truth["uniqueModelSha256Count"]!, (long)s["uniqueModels"]!);
            var formats = s["formats"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (long)f!["modelFiles"]!);
            Assert.Equal(truth["modelFilesByFramework"]!.AsObject().ToDictionary(p => p.Key, p => (long)p.Value!).OrderBy(p => p.Key),
                formats.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public async Task the_readme_churn_query_gives_the_churn_of_expected_json()
    {
        var summary = (await api.QueryAsync(Find("{ churn")))["churn"]!["summary"]!.AsObject();
        var truth = Repo.Expected["churn"]!.AsArray().Single(c => (string)c!["from"]! == "2020-02" && (string)c!["to"]! == "2021-04")!["summary"]!;
        Assert.NotEmpty(summary);
        foreach (var (field, value) in summary) Assert.True((long)truth[field]! == (long)value!, $"{field}: expected {truth[field]}, got {value}");
    }

    [Fact]
    public async Task the_readme_adoption_query_gives_the_apps_shipping_each_framework_per_snapshot()
    {
        var series = (await api.QueryAsync(Find("{ adoption")))["adoption"]!.AsArray();
        var expected = Repo.Expected["snapshots"]!.AsObject().SelectMany(s => s.Value!["apps"]!.AsObject()
                .SelectMany(a => a.Value!["models"]!.AsArray().Select(m => (Framework: (string)m!["framework"]!, Package: a.Key))).Distinct()
                .GroupBy(x => x.Framework).Select(g => $"{g.Key} {s.Key} {g.Count()}/{(long)s.Value["appsListed"]!}"))
            .Order().ToList();
        Assert.Equal(expected, series.SelectMany(k => k!["points"]!.AsArray().Select(p => $"{k["key"]} {p!["snapshot"]} {p["apps"]}/{p["outOf"]}")).Order().ToList());
    }

    [Fact]
    public async Task the_readme_reuse_query_gives_each_models_app_count()
    {
        var edges = Workspace.Nodes((await api.QueryAsync(Find("{ models(filter: { format: \"tflite\", quantized: true }")))["models"]);
        Assert.NotEmpty(edges);
        var apps = Repo.Expected["snapshots"]!.AsObject().SelectMany(s => s.Value!["apps"]!.AsObject()
                .SelectMany(a => a.Value!["models"]!.AsArray().Select(m => (Sha: (string)m!["sha256"]!, Package: a.Key))))
            .Distinct().GroupBy(x => x.Sha).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.All(edges, m => Assert.Equal(apps[(string)m!["sha256"]!], (long)m["appCount"]!));
        Assert.Equal(edges.Select(m => (long)m!["appCount"]!).OrderDescending(), edges.Select(m => (long)m!["appCount"]!));
    }

    [Fact]
    public async Task graphql_js_builds_the_schema_from_introspection_and_validates_every_readme_and_docs_query()
    {
        string folder = GraphqlJs.Installed();
        string queries = Path.Combine(api.Workspace.Root, "readme-queries.json");
        var all = Queries().Concat(DocsQueries()).ToList();
        File.WriteAllText(queries, JsonSerializer.Serialize(all));
        var (exit, output) = GraphqlJs.Run(folder, $"{api.Host.Url}/graphql", ApiSchemaTests.SdlFile, queries);
        Assert.True(exit == 0, output);
        var report = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.Empty(report["failures"]!.AsArray());
        Assert.Equal(all.Count, (int)report["queries"]!);
        Assert.Contains(report["specifiedBy"]!.AsArray(), s => ((string)s!).StartsWith("DateOnly https://www.rfc-editor.org/rfc/rfc3339", StringComparison.Ordinal));
    }
}

/// <summary>tests/graphql-js installed from the npm registry once per lock file (in the temp folder), and run with node.</summary>
public static class GraphqlJs
{
    private static readonly Lock Gate = new();

    public static string Installed()
    {
        string source = Path.Combine(Repo.Root, "tests", "graphql-js");
        string lockText = File.ReadAllText(Path.Combine(source, "package-lock.json"));
        string folder = Path.Combine(Path.GetTempPath(), "gaugenn-graphql-js-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lockText)))[..12]);
        lock (Gate)
        {
            Directory.CreateDirectory(folder);
            foreach (var file in new[] { "package.json", "package-lock.json", "check.cjs" })
                File.Copy(Path.Combine(source, file), Path.Combine(folder, file), overwrite: true);
            if (!File.Exists(Path.Combine(folder, "node_modules", "graphql", "package.json")))
            {
                var (exit, output) = Exec("npm", folder, "ci", "--no-audit", "--no-fund");
                Assert.True(exit == 0, $"npm ci failed in {folder}: {output}");
            }
        }
        return folder;
    }

    public static (int Exit, string Output) Run(string folder, params string[] arguments) => Exec("node", folder, ["check.cjs", .. arguments]);

    private static (int Exit, string Output) Exec(string program, string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
