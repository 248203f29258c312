namespace GaugeNN.Ingest;

/// <summary>Caps that keep a hostile snapshot from exhausting memory or time.</summary>
public sealed record IngestOptions
{
    /// <summary>Largest inflated size of one zip entry that is read.</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;

    /// <summary>Largest number of inflated bytes read from one app's files altogether.</summary>
    public long MaxTotalInflatedBytes { get; init; } = 8L << 30;

    /// <summary>Largest inflated/compressed ratio of an entry before it is treated as a zip bomb.</summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Apps scanned at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Where model bytes are kept by sha256 so they can be re-analysed without the APKs; null keeps none.</summary>
    public string? ModelStoreDirectory { get; init; }
}
