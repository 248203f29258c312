using GaugeNN.Ingest.Android;

namespace GaugeNN.Ingest.Detection;

/// <summary>A model file, or a model embedded in a larger file, located with the corpus path syntax.</summary>
public sealed record FoundModel(
    string Path, string Sha256, long Bytes, string Format, IReadOnlyList<string> Evidence, bool Encrypted, double Entropy,
    string Storage);

/// <summary>A sign that the app links a framework: <see cref="Kind"/> is <c>model</c>, <c>native-lib</c> or <c>dex</c>.</summary>
public sealed record FoundEvidence(string Framework, string Kind, string Detail);

/// <summary>Something in one crawled file that could not be read; the rest of the file and the app are still scanned.</summary>
public sealed record ScanProblem(string File, string Reason);

/// <summary>Everything read from one app's files, in the order it was found.</summary>
public sealed class AppFindings
{
    private readonly HashSet<FoundEvidence> _evidenceSeen = [];
    private readonly List<FoundEvidence> _evidence = [];
    private (int Depth, AndroidManifest Manifest)? _primary;

    public List<FoundModel> Models { get; } = [];
    public List<ScanProblem> Problems { get; } = [];
    public IReadOnlyList<FoundEvidence> Evidence => _evidence;
    public int Entries { get; set; }

    /// <summary>
    /// The manifest that describes the app: the shallowest one that is not a split's (a bundle's <c>base.apk</c>),
    /// the first found when several are equally deep.
    /// </summary>
    public AndroidManifest? Manifest => _primary?.Manifest;

    public void AddEvidence(FoundEvidence evidence)
    {
        if (_evidenceSeen.Add(evidence)) _evidence.Add(evidence);
    }

    public void AddManifest(int depth, AndroidManifest manifest)
    {
        if (manifest.Split is not null) return;
        if (_primary is null || depth < _primary.Value.Depth) _primary = (depth, manifest);
    }
}
