namespace GaugeNN.Ingest;

/// <summary>Caps that keep a hostile snapshot from exhausting memory or time, and the detection thresholds.</summary>
public sealed record IngestOptions
{
    /// <summary>Largest inflated size of one zip entry that is read (an entry is held in memory while it is examined).</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;

    /// <summary>Largest number of inflated bytes read from one app's files altogether.</summary>
    public long MaxTotalInflatedBytes { get; init; } = 8L << 30;

    /// <summary>Largest inflated/compressed ratio of an entry before it is treated as a zip bomb.</summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Largest number of entries one archive may declare.</summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>Largest central directory read into memory.</summary>
    public long MaxCentralDirectoryBytes { get; init; } = 64L << 20;

    /// <summary>How many archives deep an entry may sit (a split APK in a bundle is at depth 1).</summary>
    public int MaxNestingDepth { get; init; } = 3;

    /// <summary>A model-named file that validates as no format and is more random than this is an encrypted model.</summary>
    public double EncryptedEntropyBitsPerByte { get; init; } = 7.5;

    /// <summary>Most <c>TFL3</c> identifiers in one entry that are checked as possible embedded models.</summary>
    public int MaxEmbeddedCandidatesPerEntry { get; init; } = 4096;

    /// <summary>Files up to this size are read into memory once (digest and walk); larger ones are read in place.</summary>
    public long WholeFileReadBytes { get; init; } = 1L << 20;

    /// <summary>Apps scanned at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Where model bytes are kept by sha256 so they can be re-analysed without the APKs; null keeps none.</summary>
    public string? ModelStoreDirectory { get; init; }
}
