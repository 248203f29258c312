namespace GaugeNN.Measure.Import;

/// <summary>
/// The one exception the importers throw: which tool's output, the 1-based line that broke it (the line after the
/// last one when the text ends too early) and what was wrong. An importer never skips a line it cannot read to carry
/// on with a guess, so a refused file never yields a number.
/// </summary>
public sealed class BenchmarkLogException(string format, int line, string problem)
    : FormatException($"{format}: line {line}: {problem}")
{
    public string Format { get; } = format;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
