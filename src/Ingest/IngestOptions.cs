using GaugeNN.Formats;
using GaugeNN.Formats.Archives;

namespace GaugeNN.Ingest;

/// <summary>Caps that keep a hostile snapshot from exhausting memory or time, and the detection thresholds.</summary>
public sealed record IngestOptions
{
    /// <summary>The caps every archive of the snapshot is opened with; the zip properties below read and set them.</summary>
    public ZipLimits ZipLimits { get; private init; } = new();

    /// <inheritdoc cref="ZipLimits.MaxEntryBytes"/>
    public long MaxEntryBytes { get => ZipLimits.MaxEntryBytes; init => ZipLimits = ZipLimits with { MaxEntryBytes = value }; }

    /// <summary>Largest number of inflated bytes read from one app's files altogether.</summary>
    public long MaxTotalInflatedBytes { get; init; } = 8L << 30;

    /// <inheritdoc cref="ZipLimits.MaxCompressionRatio"/>
    public double MaxCompressionRatio { get => ZipLimits.MaxCompressionRatio; init => ZipLimits = ZipLimits with { MaxCompressionRatio = value }; }

    /// <inheritdoc cref="ZipLimits.MaxEntries"/>
    public int MaxEntries { get => ZipLimits.MaxEntries; init => ZipLimits = ZipLimits with { MaxEntries = value }; }

    /// <inheritdoc cref="ZipLimits.MaxCentralDirectoryBytes"/>
    public long MaxCentralDirectoryBytes { get => ZipLimits.MaxCentralDirectoryBytes; init => ZipLimits = ZipLimits with { MaxCentralDirectoryBytes = value }; }

    /// <summary>How many archives deep an entry may sit (a split APK in a bundle is at depth 1).</summary>
    public int MaxNestingDepth { get; init; } = 3;

    /// <summary>A model-named file that validates as no format and is more random than this is an encrypted model.</summary>
    public double EncryptedEntropyBitsPerByte { get; init; } = ModelDissector.EncryptedEntropyBits;

    /// <summary>Most <c>TFL3</c> identifiers in one entry that are checked as possible embedded models.</summary>
    public int MaxEmbeddedCandidatesPerEntry { get; init; } = 4096;

    /// <summary>Files up to this size are read into memory once (digest and walk); larger ones are read in place.</summary>
    public long WholeFileReadBytes { get; init; } = 1L << 20;

    /// <summary>Apps scanned at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
