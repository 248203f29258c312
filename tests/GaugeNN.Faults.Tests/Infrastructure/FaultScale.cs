namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>
/// How many trials each scenario runs. CI runs the default scale (a few minutes in all); <c>GAUGENN_FAULT_SCALE=full</c>
/// runs the counts docs/reliability.md reports. Kill points are drawn from <c>GAUGENN_FAULT_SEED</c> when set (to replay
/// a failure), else from a fresh seed that every test prints.
/// </summary>
public sealed record FaultScale(
    string Name,
    int ConcurrentIngestTrials,
    int IngestKills,
    int RandomClusterStartKills,
    int PostmasterKills,
    int PartialAnswerTrials,
    int HeavyQueryRounds,
    int HostKills,
    int RebuildKills)
{
    public const string Variable = "GAUGENN_FAULT_SCALE";
    public const string SeedVariable = "GAUGENN_FAULT_SEED";

    public static readonly FaultScale Ci = new("ci", ConcurrentIngestTrials: 1, IngestKills: 2, RandomClusterStartKills: 0,
        PostmasterKills: 1, PartialAnswerTrials: 2, HeavyQueryRounds: 2, HostKills: 10, RebuildKills: 4);

    public static readonly FaultScale Full = new("full", ConcurrentIngestTrials: 10, IngestKills: 20, RandomClusterStartKills: 6,
        PostmasterKills: 5, PartialAnswerTrials: 10, HeavyQueryRounds: 10, HostKills: 20, RebuildKills: 40);

    public static FaultScale Current { get; } = Environment.GetEnvironmentVariable(Variable) switch
    {
        null or "" or "ci" => Ci,
        "full" => Full,
        var other => throw new InvalidOperationException($"{Variable} must be 'ci' or 'full', not '{other}'"),
    };

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out int seed) ? seed : Random.Shared.Next();
}
