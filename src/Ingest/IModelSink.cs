namespace GaugeNN.Ingest;

/// <summary>
/// Where the scan keeps the bytes of every model it identifies (the application's content-addressed blob store),
/// so a newer analyser can re-read them without the APKs. Called concurrently from several apps' scans.
/// </summary>
public interface IModelSink
{
    void Keep(string sha256, ReadOnlySpan<byte> bytes);
}
