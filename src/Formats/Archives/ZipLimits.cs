namespace GaugeNN.Formats.Archives;

/// <summary>The caps <see cref="ZipReader"/> enforces, so that a hostile archive cannot exhaust memory or time.</summary>
public sealed record ZipLimits
{
    /// <summary>
    /// Model containers (PyTorch Mobile, SNPE DLC) as <see cref="FormatProbe"/> and the dissectors read them: an entry
    /// is read whole to be parsed, so it is held to 64 MiB and a 200× compression ratio.
    /// </summary>
    internal static ZipLimits ModelContainer { get; } = new() { MaxEntryBytes = 64L << 20, MaxCompressionRatio = 200, MaxEntries = 100_000 };

    /// <summary>Largest inflated size of one entry that is read (an entry is held in memory while it is examined).</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;

    /// <summary>Largest inflated/compressed ratio of an entry before it is treated as a zip bomb.</summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Largest number of entries one archive may declare.</summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>Largest central directory read into memory.</summary>
    public long MaxCentralDirectoryBytes { get; init; } = 64L << 20;
}
