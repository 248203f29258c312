using GaugeNN.Events;

namespace GaugeNN.Ingest.Tests;

/// <summary>Runs the real scanner over a folder and groups its events per app.</summary>
public static class Scanning
{
    public static async Task<List<AppScan>> ScanAsync(string snapshot, string directory, IngestOptions? options = null, IModelSink? models = null)
    {
        var scanner = new SnapshotScanner(options ?? new IngestOptions(), TimeProvider.System, models);
        var scans = new List<AppScan>();
        await foreach (var scan in scanner.ScanAsync(snapshot, directory))
            scans.Add(scan);
        return scans;
    }

    public static IEnumerable<T> Of<T>(this AppScan scan) => scan.Events.OfType<T>();

    public static AppScan App(this IEnumerable<AppScan> scans, string package) =>
        scans.Single(s => s.Package == package);

    public static IEnumerable<string> FailureReasons(this IEnumerable<AppScan> scans) =>
        scans.SelectMany(s => s.Of<AppScanFailed>()).Select(f => f.Reason);
}
