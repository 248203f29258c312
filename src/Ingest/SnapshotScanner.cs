using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using GaugeNN.Events;
using GaugeNN.Formats.Archives;
using GaugeNN.Ingest.Detection;
using GaugeNN.Ingest.Listing;
using Microsoft.Win32.SafeHandles;

namespace GaugeNN.Ingest;

/// <summary>The facts read from one app's files in one snapshot, in the order they should be appended.</summary>
public sealed record AppScan(string Package, string Snapshot, string ScanKey, IReadOnlyList<object> Events);

/// <summary>
/// Reads a snapshot folder (<c>*.apk</c>, bundles, OBBs and an optional <c>listing.jsonl</c>) and yields one
/// <see cref="AppScan"/> per app. Nothing is extracted to disk and nothing from an APK is executed.
/// </summary>
public sealed partial class SnapshotScanner(IngestOptions options, TimeProvider time, IModelSink? models = null)
{
    private static readonly string[] AppFileExtensions = [".apk", ".apks", ".xapk", ".apkm"];
    private const int HashChunkBytes = 1 << 20;
    private const string Step = "!/";

    /// <summary>
    /// File buffers, at most one per size class per concurrent app: memory stays flat however many apps a run has,
    /// unlike the shared pool, which keeps arrays per thread.
    /// </summary>
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(
        (int)Math.Clamp(options.WholeFileReadBytes, HashChunkBytes, Array.MaxLength), Math.Max(1, options.Parallelism));

    /// <summary>An OBB expansion file names its app: <c>main|patch.&lt;versionCode&gt;.&lt;package&gt;.obb</c>.</summary>
    [GeneratedRegex(@"^(?:main|patch)\.\d+\.(?<package>[A-Za-z0-9_.]+)\.obb$")]
    private static partial Regex ObbName();

    /// <summary>An app to scan: its listing line (or one made up from the file name), and OBBs found beside it.</summary>
    private sealed record PlannedApp(ListingEntry Entry, bool Listed, IReadOnlyList<string> ExtraObbs);

    /// <param name="takes">
    /// Which packages this scan takes (a shard of the snapshot); null takes all. Facts of the listing file itself are
    /// under the empty package name.
    /// </param>
    public async IAsyncEnumerable<AppScan> ScanAsync(
        string snapshot, string directory, [EnumeratorCancellation] CancellationToken ct = default, Func<string, bool>? takes = null)
    {
        takes ??= _ => true;
        var plan = new SnapshotPlan(directory, options);
        int parallelism = Math.Max(1, options.Parallelism);
        var results = Channel.CreateBounded<AppScan>(parallelism * 2);
        var producer = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(plan.Apps().Where(app => takes(app.Entry.Package)), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
                    async (app, token) => await results.Writer.WriteAsync(ScanApp(snapshot, directory, app, token), token));
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

        if (plan.ListingErrors.Count > 0 && takes(""))
        {
            // One batch for all bad lines, keyed by their text: the same listing re-ingested appends nothing, a
            // changed one appends its own errors.
            var now = time.GetUtcNow();
            string key = "listing:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', plan.ListingErrors))));
            yield return new AppScan("", snapshot, key,
                plan.ListingErrors.Select(error => (object)new AppScanFailed("", snapshot, ListingReader.FileName, error, now)).ToList());
        }
    }

    /// <summary>
    /// Which files make up which app, produced lazily as the scan pulls apps. Listed apps come first, in listing
    /// order, streamed from the listing so that memory does not grow with the number of apps; then app files no
    /// listing line names. An OBB no listing line names joins the app its file name names (listed or not); one whose
    /// app is nowhere is scanned as that app. Bad listing lines are collected in <see cref="ListingErrors"/>.
    /// </summary>
    private sealed class SnapshotPlan(string directory, IngestOptions options)
    {
        public List<string> ListingErrors { get; } = [];

        public IEnumerable<PlannedApp> Apps()
        {
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            // OBBs are few, so all of them are looked at up front; the packages they name are the only ones remembered.
            var obbsByPackage = Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>()
                .Select(f => (File: f, Match: ObbName().Match(f))).Where(o => o.Match.Success)
                .ToLookup(o => o.Match.Groups["package"].Value, o => o.File, StringComparer.Ordinal);
            var obbPackagesWithApp = new HashSet<string>(StringComparer.Ordinal);
            List<string> ExtraObbs(string package, IReadOnlyList<string> ownFiles)
            {
                if (!obbsByPackage.Contains(package)) return [];
                obbPackagesWithApp.Add(package);
                return obbsByPackage[package].Where(f => !ownFiles.Contains(f)).ToList();
            }

            string listing = Path.Combine(directory, ListingReader.FileName);
            if (File.Exists(listing))
                foreach (var (entry, error) in ListingReader.ReadLines(listing))
                {
                    if (error is not null) ListingErrors.Add(error);
                    if (entry is null) continue;
                    claimed.UnionWith(entry.Files);
                    yield return new PlannedApp(entry, true, ExtraObbs(entry.Package, entry.Files));
                }
            foreach (var file in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>())
            {
                if (claimed.Contains(file) || !AppFileExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) continue;
                string package = PackageOfUnlisted(Path.Combine(directory, file), options) ?? Path.GetFileNameWithoutExtension(file);
                yield return new PlannedApp(Unlisted(package, file), false, ExtraObbs(package, [file]));
            }
            foreach (var orphans in obbsByPackage.Where(g => !obbPackagesWithApp.Contains(g.Key)))
                if (orphans.Where(f => !claimed.Contains(f)).ToArray() is { Length: > 0 } unclaimed)
                    yield return new PlannedApp(Unlisted(orphans.Key, unclaimed), false, []);
        }
    }

    private static string? PackageOfUnlisted(string path, IngestOptions options)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ManifestPeek.PackageOf(ByteSource.FromFile(handle), options) is { } package && ListingReader.IsPackageName(package) ? package : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static ListingEntry Unlisted(string package, params string[] files) => new(package, null, null, null, null, null, null, files);

    private AppScan ScanApp(string snapshot, string directory, PlannedApp app, CancellationToken ct)
    {
        var (entry, listed, extraObbs) = app;
        var now = time.GetUtcNow();
        var findings = new AppFindings();
        var budget = new InflationBudget(options.MaxTotalInflatedBytes);
        var walker = new ArchiveWalker(options, models);
        var scanned = new List<ScannedFile>();
        var missing = new List<(string File, string Reason)>();
        bool anyReadable = false;

        if (entry.Files.Count == 0) missing.Add(("", "listed but not scanned: the listing names no file for this app"));
        bool prefixListed = entry.Files.Count > 1;
        var files = entry.Files.Select(f => (File: f, Prefix: prefixListed ? f + Step : ""))
            .Concat(extraObbs.Select(f => (File: f, Prefix: f + Step)));
        foreach (var (file, prefix) in files)
        {
            ct.ThrowIfCancellationRequested();
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                missing.Add((file, $"listed but not scanned: file '{file}' is not in the snapshot folder"));
                continue;
            }
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
                long length = RandomAccess.GetLength(handle);
                if (length <= options.WholeFileReadBytes)
                {
                    // One read serves both the digest and the walk; most APKs are this small. The buffer comes back to
                    // the scanner's pool (the walk copies out whatever it keeps), so many apps do not churn the heap.
                    var rented = _buffers.Rent((int)length);
                    try
                    {
                        var bytes = rented.AsMemory(0, (int)length);
                        ByteSource.FromFile(handle).ReadExactly(0, bytes.Span, "file");
                        scanned.Add(new ScannedFile(file, Convert.ToHexStringLower(SHA256.HashData(bytes.Span)), length));
                        anyReadable |= walker.WalkFile(ByteSource.FromMemory(bytes), file, prefix, findings, budget);
                    }
                    finally
                    {
                        _buffers.Return(rented);
                    }
                }
                else
                {
                    scanned.Add(new ScannedFile(file, Sha256Of(handle, _buffers), length));
                    anyReadable |= walker.WalkFile(ByteSource.FromFile(handle), file, prefix, findings, budget);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                missing.Add((file, $"{file}: could not be read: {e.Message}"));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A reader bug must not take the snapshot down; the fuzz tests call the walker directly and fail on it.
                missing.Add((file, $"{file}: internal error while scanning: {e.GetType().Name}: {e.Message}"));
            }
        }

        var manifest = findings.Manifest;
        string package = entry.Package; // an unlisted app's was read from its manifest when the snapshot was planned
        string scanKey = ScanKeyOf(scanned, entry.Files);
        var events = new List<object>();
        if (listed)
            events.Add(new AppListed(package, snapshot, entry.Title, entry.Category, entry.Installs, entry.Rating,
                entry.Rank, entry.CrawledAt, entry.Files, now));
        foreach (var (file, reason) in missing)
            events.Add(new AppScanFailed(package, snapshot, file.Length == 0 ? null : file, reason, now));
        foreach (var problem in findings.Problems)
            events.Add(new AppScanFailed(package, snapshot, problem.File, problem.Reason, now));
        if (anyReadable)
        {
            events.Add(new ApkScanned(package, snapshot, scanKey, scanned, manifest?.VersionCode, manifest?.VersionName,
                manifest?.MinSdk, manifest?.TargetSdk, manifest?.Permissions ?? [], manifest?.Features ?? [], findings.Entries, now));
            foreach (var model in findings.Models)
                events.Add(new ModelFileFound(package, snapshot, scanKey, model.Path, model.Sha256, model.Bytes, model.Format,
                    model.Evidence, model.Encrypted, model.Entropy, model.Storage, now));
            foreach (var evidence in findings.Evidence)
                events.Add(new FrameworkEvidenceFound(package, snapshot, scanKey, evidence.Framework, evidence.Kind, evidence.Detail, now));
        }
        return new AppScan(package, snapshot, scanKey, events);
    }

    private static string Sha256Of(SafeFileHandle handle, ArrayPool<byte> buffers)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = buffers.Rent(HashChunkBytes);
        try
        {
            long offset = 0;
            for (int read; (read = RandomAccess.Read(handle, buffer, offset)) > 0; offset += read)
                hash.AppendData(buffer, 0, read);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            buffers.Return(buffer);
        }
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
