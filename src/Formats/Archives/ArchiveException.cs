namespace GaugeNN.Formats.Archives;

/// <summary>
/// The one exception the zip reader (and GaugeNN.Ingest's Android readers) throw on hostile or broken bytes: where they
/// stopped and which field they were reading. Readers never skip ahead to re-synchronise past bad data.
/// </summary>
public sealed class ArchiveException(long offset, string field, string problem)
    : FormatException($"{problem} (field '{field}' at byte {offset})")
{
    public long Offset { get; } = offset;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
