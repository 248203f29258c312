using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using GaugeNN.Events;
using GaugeNN.Formats;
using GaugeNN.Ingest.Listing;

namespace GaugeNN.Ingest;

/// <summary>The facts read from one app's files in one snapshot, in the order they should be appended.</summary>
public sealed record AppScan(string Package, string Snapshot, string ScanKey, IReadOnlyList<object> Events);

/// <summary>
/// Reads a snapshot folder (<c>*.apk</c>, bundles, OBBs and an optional <c>listing.jsonl</c>) and yields one
/// <see cref="AppScan"/> per app. Nothing is extracted to disk and nothing from an APK is executed.
/// </summary>
public sealed class SnapshotScanner(IngestOptions options, TimeProvider time)
{
    private static readonly string[] AppFileExtensions = [".apk", ".apks", ".xapk", ".apkm"];

    public async IAsyncEnumerable<AppScan> ScanAsync(
        string snapshot, string directory, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (apps, listingErrors) = PlanApps(directory);
        var now = time.GetUtcNow();
        foreach (var error in listingErrors)
            yield return new AppScan("", snapshot, "listing", [new AppScanFailed("", snapshot, ListingReader.FileName, error, now)]);

        var results = Channel.CreateBounded<AppScan>(Math.Max(1, options.Parallelism) * 2);
        var producer = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(apps, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct },
                    async (app, token) => await results.Writer.WriteAsync(ScanApp(snapshot, directory, app), token));
                results.Writer.Complete();
            }
            catch (Exception e)
            {
                results.Writer.Complete(e);
            }
        }, ct);
        await foreach (var scan in results.Reader.ReadAllAsync(ct))
            yield return scan;
        await producer;
    }

    /// <summary>Listed apps first (in listing order), then app files in the folder that no listing line names.</summary>
    private static (List<(ListingEntry Entry, bool Listed)> Apps, List<string> Errors) PlanApps(string directory)
    {
        var apps = new List<(ListingEntry, bool)>();
        var errors = new List<string>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        string listing = Path.Combine(directory, ListingReader.FileName);
        if (File.Exists(listing))
        {
            var (entries, listingErrors) = ListingReader.Read(listing);
            errors.AddRange(listingErrors);
            foreach (var entry in entries)
            {
                apps.Add((entry, true));
                claimed.UnionWith(entry.Files);
            }
        }
        foreach (var file in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
        {
            if (claimed.Contains(file) || !AppFileExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) continue;
            apps.Add((new ListingEntry(Path.GetFileNameWithoutExtension(file), null, null, null, null, null, null, [file]), false));
        }
        return (apps, errors);
    }

    private AppScan ScanApp(string snapshot, string directory, (ListingEntry Entry, bool Listed) app)
    {
        var (entry, listed) = app;
        var now = time.GetUtcNow();
        var events = new List<object>();
        if (listed)
            events.Add(new AppListed(entry.Package, snapshot, entry.Title, entry.Category, entry.Installs, entry.Rating,
                entry.Rank, entry.CrawledAt, entry.Files, now));

        var scanned = new List<ScannedFile>();
        var failures = new List<(string File, string Reason)>();
        var found = new List<(string Path, byte[] Bytes, string Format, string Storage)>();
        int entries = 0;
        bool prefixWithFile = entry.Files.Count > 1;
        if (entry.Files.Count == 0) failures.Add(("", "the listing names no file for this app"));
        foreach (var file in entry.Files)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                failures.Add((file, $"file '{file}' is not in the snapshot folder"));
                continue;
            }
            var info = new FileInfo(path);
            scanned.Add(new ScannedFile(file, Sha256File(path), info.Length));
            try
            {
                entries += ScanArchive(path, prefixWithFile ? file + "!/" : "", found);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
            {
                failures.Add((file, $"{file}: not a readable zip archive: {e.Message}"));
            }
        }

        string scanKey = ScanKeyOf(scanned, entry.Files);
        foreach (var (file, reason) in failures)
            events.Add(new AppScanFailed(entry.Package, snapshot, file.Length == 0 ? null : file, reason, now));
        if (scanned.Count > 0 && failures.Count < entry.Files.Count)
        {
            events.Add(new ApkScanned(entry.Package, snapshot, scanKey, scanned, null, null, null, null, [], [], entries, now));
            var store = options.ModelStoreDirectory is { } root ? new ModelBlobStore(root) : null;
            foreach (var (modelPath, bytes, format, storage) in found)
            {
                string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                store?.Put(sha, bytes);
                events.Add(new ModelFileFound(entry.Package, snapshot, scanKey, modelPath, sha, bytes.Length, format,
                    ["magic"], false, 0, storage, now));
            }
        }
        return new AppScan(entry.Package, snapshot, scanKey, events);
    }

    private int ScanArchive(string path, string prefix, List<(string, byte[], string, string)> found)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        int count = 0;
        foreach (var entry in zip.Entries)
        {
            count++;
            if (entry.FullName.EndsWith('/') || entry.Length < 8 || entry.Length > options.MaxEntryBytes) continue;
            var bytes = new byte[entry.Length];
            using (var content = entry.Open())
                content.ReadExactly(bytes);
            if (FormatProbe.Identify(bytes, entry.FullName) is { } id)
                found.Add((prefix + entry.FullName, bytes, id.Format, entry.CompressedLength == entry.Length ? "stored" : "deflated"));
        }
        return count;
    }

    private static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Identifies the exact bytes scanned for an app, so the same files re-ingested append nothing.</summary>
    private static string ScanKeyOf(IEnumerable<ScannedFile> scanned, IEnumerable<string> listedFiles)
    {
        var text = new StringBuilder();
        foreach (var f in scanned) text.Append(f.Name).Append(':').Append(f.Sha256).Append('\n');
        foreach (var f in listedFiles) text.Append("listed:").Append(f).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
