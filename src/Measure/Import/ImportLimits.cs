namespace GaugeNN.Measure.Import;

/// <summary>Caps every importer enforces before it reads, so a hostile or runaway file cannot exhaust memory.</summary>
public sealed record ImportLimits
{
    public static ImportLimits Default { get; } = new();

    /// <summary>Longest text accepted, in characters (a day of 5 kHz power samples is ~30 MB of CSV).</summary>
    public int MaxChars { get; init; } = 256 << 20;

    /// <summary>Longest single line; tool output lines are short, a longer one is not a tool's.</summary>
    public int MaxLineChars { get; init; } = 64 << 10;

    /// <summary>Most operator rows kept from one op-profiling run.</summary>
    public int MaxOperators { get; init; } = 100_000;

    /// <summary>Most runs (model lines, results) one file may hold.</summary>
    public int MaxRuns { get; init; } = 100_000;
}
