using GaugeNN.Formats.Archives;
using GaugeNN.Ingest.Android;

namespace GaugeNN.Ingest.Detection;

/// <summary>Reads only the package name of an APK or bundle, to plan which files belong to which app before scanning.</summary>
public static class ManifestPeek
{
    private const string ManifestName = "AndroidManifest.xml";

    /// <summary>
    /// The package the app's manifest declares: an APK's own, or for a bundle (<c>.apks</c>, <c>.xapk</c>, <c>.apkm</c>)
    /// the one of the APK inside that is not a split, whatever it is named. Null when none can be read.
    /// </summary>
    public static string? PackageOf(ByteSource source, IngestOptions options)
    {
        try
        {
            var zip = ZipReader.Open(source, options.ZipLimits);
            var budget = new InflationBudget(options.MaxEntryBytes);
            if (ReadManifest(zip, budget) is { } own) return own.Package;
            foreach (var apk in zip.Entries.Where(e => e.Name.EndsWith(".apk", StringComparison.OrdinalIgnoreCase)))
            {
                var inner = ZipReader.Open(apk.Method == ZipEntry.Stored ? zip.StoredRange(apk) : ByteSource.FromMemory(zip.ReadContent(apk, budget)), options.ZipLimits);
                if (ReadManifest(inner, budget) is { Split: null } manifest) return manifest.Package;
            }
            return null;
        }
        catch (ArchiveException)
        {
            return null;
        }
    }

    private static AndroidManifest? ReadManifest(ZipReader zip, InflationBudget budget) =>
        zip.Entries.FirstOrDefault(e => e.Name == ManifestName) is { } entry ? AndroidManifest.Read(zip.ReadContent(entry, budget)) : null;
}
