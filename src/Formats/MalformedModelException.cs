namespace GaugeNN.Formats;

/// <summary>
/// The one exception a format reader throws on hostile or broken bytes: where it stopped and which field it was
/// reading. Readers never skip ahead to re-synchronise past bad data.
/// </summary>
public sealed class MalformedModelException(string format, long offset, string field, string problem)
    : FormatException($"{format}: {problem} (field '{field}' at byte {offset})")
{
    public string Format { get; } = format;
    public long Offset { get; } = offset;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
