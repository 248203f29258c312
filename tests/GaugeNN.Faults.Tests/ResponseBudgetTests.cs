using System.Net;
using System.Text.Json.Nodes;
using GaugeNN.Faults.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GaugeNN.Faults.Tests;

/// <summary>
/// A heavy query — 110 aliases of <c>snapshot(id) { apps { models { sha256 } } }</c> over the 2,000-app reference — is
/// refused or answered whole, never half; and afterwards the `serve` process's memory (VmRSS) comes back within 20 %
/// of its baseline, taken after the same query with one alias.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class ResponseBudgetTests(Reference reference, ITestOutputHelper output)
{
    private const int Aliases = 110;
    private const double RssTolerance = 0.20;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(15);

    private static string Query(int aliases) =>
        "{ " + string.Join(" ", Enumerable.Range(0, aliases).Select(i => $"a{i}: snapshot(id: \"{Reference.Snapshot}\") {{ apps {{ models {{ sha256 }} }} }}")) + " }";

    [Fact]
    public async Task heavy_aliased_queries_are_refused_or_answered_whole_and_serve_memory_returns_within_20_percent_of_its_baseline()
    {
        using var serve = Serve.Start(new CliEnvironment(Path.Combine(reference.Root, "budget", "home"), reference.Postgres));
        await serve.WaitCaughtUpAsync(reference);
        for (int i = 0; i < 3; i++)
        {
            var (status, body) = await serve.PostAsync(Query(1));
            AssertRefusedOrWhole(status, body, 1);
        }
        await Task.Delay(Settle);
        long baseline = Signals.ResidentBytes(serve.Pid);

        long peak = baseline;
        var rounds = new List<string>();
        for (int round = 1; round <= FaultScale.Current.HeavyQueryRounds; round++)
        {
            var (status, body) = await serve.PostAsync(Query(Aliases));
            rounds.Add($"{(int)status} {AssertRefusedOrWhole(status, body, Aliases)} {body.Length / 1e6:0.0} MB");
            peak = Math.Max(peak, Signals.ResidentBytes(serve.Pid));
        }
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        long after;
        do
        {
            await Task.Delay(500);
            after = Signals.ResidentBytes(serve.Pid);
        } while (after > baseline * (1 + RssTolerance) && recovery.Elapsed < RecoveryLimit);

        var light = await serve.PostAsync("{ snapshots { id } }");
        Assert.Equal(HttpStatusCode.OK, light.Status);
        string figures = $"VmRSS baseline {baseline / 1e6:0} MB, highest seen {peak / 1e6:0} MB, after {recovery.Elapsed.TotalSeconds:0} s {after / 1e6:0} MB " +
                         $"({(double)after / baseline - 1:+0%;-0%}); {rounds.Count} heavy queries: {string.Join("; ", rounds)}";
        output.WriteLine(figures);
        Assert.True(after <= baseline * (1 + RssTolerance), $"serve's memory did not come back within {RssTolerance:0%} of its baseline: {figures}");
        Assert.Equal(0, (await serve.StopAsync()).Code);
    }

    /// <summary>
    /// Refused (errors, and no half answer under them) or whole (every alias with every app); says which.
    /// </summary>
    private static string AssertRefusedOrWhole(HttpStatusCode status, byte[] body, int aliases)
    {
        var answer = JsonNode.Parse(body)!;
        if (answer["errors"] is JsonArray { Count: > 0 } errors)
        {
            Assert.True(answer["data"]?.AsObject().All(a => a.Value is null) ?? true, $"a refusal came with part of an answer ({body.Length} bytes)");
            return $"refused ({(string?)errors[0]!["message"]})";
        }
        Assert.Equal(HttpStatusCode.OK, status);
        var data = answer["data"]!.AsObject();
        Assert.Equal(aliases, data.Count);
        Assert.All(data, a => Assert.Equal(Reference.Apps, a.Value!["apps"]!.AsArray().Count));
        return "answered";
    }
}
