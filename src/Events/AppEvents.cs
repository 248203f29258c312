namespace GaugeNN.Events;

// Stream: the app's package name. Every event names the snapshot it belongs to.

/// <summary>The app appears in a snapshot's store listing (one line of listing.jsonl).</summary>
public sealed record AppListed(
    string Package, string Snapshot, string? Title, string? Category, string? Installs, double? Rating, int? Rank,
    DateOnly? CrawledAt, IReadOnlyList<string> Files, DateTimeOffset At) : IGaugeEvent;

/// <summary>One file crawled for an app (an .apk, a bundle, an OBB).</summary>
public sealed record ScannedFile(string Name, string Sha256, long Bytes);

/// <summary>
/// The app's files were read end to end. <see cref="ScanKey"/> identifies the exact bytes scanned (sha256 over the
/// file digests): re-ingesting the same bytes into the same snapshot is recognised by it and appends nothing.
/// </summary>
public sealed record ApkScanned(
    string Package, string Snapshot, string ScanKey, IReadOnlyList<ScannedFile> Files, long? VersionCode,
    string? VersionName, int? MinSdk, int? TargetSdk, IReadOnlyList<string> Permissions,
    IReadOnlyList<string> Features, int Entries, DateTimeOffset At) : IGaugeEvent;

/// <summary>
/// A model file (or a model embedded in a larger file) was found. <see cref="Path"/> uses the corpus path syntax
/// (<c>split.apk!/assets/x.tflite</c>, <c>blob.data@OFFSET</c>). Encrypted candidates are model files whose bytes match
/// no format but whose name and entropy say "model"; their <see cref="Format"/> is the one the name suggests.
/// </summary>
public sealed record ModelFileFound(
    string Package, string Snapshot, string ScanKey, string Path, string Sha256, long Bytes, string Format,
    IReadOnlyList<string> Evidence, bool Encrypted, double Entropy, string Storage, DateTimeOffset At) : IGaugeEvent;

/// <summary>The app links a DL framework: kind is <c>model</c>, <c>native-lib</c> or <c>dex</c>.</summary>
public sealed record FrameworkEvidenceFound(
    string Package, string Snapshot, string ScanKey, string Framework, string Kind, string Detail, DateTimeOffset At) : IGaugeEvent;

/// <summary>A listed app or a crawled file could not be (fully) scanned; <see cref="File"/> is null for the app as a whole.</summary>
public sealed record AppScanFailed(string Package, string Snapshot, string? File, string Reason, DateTimeOffset At) : IGaugeEvent;
