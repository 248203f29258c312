using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GaugeNN.Formats;
using GaugeNN.Formats.Archives;
using GaugeNN.Ingest.Android;

namespace GaugeNN.Ingest.Detection;

/// <summary>
/// Walks one crawled file (an APK, a bundle of APKs, an OBB) entry by entry, into nested archives, and records every
/// model, framework sign and manifest it meets. Each unreadable archive or entry becomes a <see cref="ScanProblem"/>
/// and the walk goes on with the next one. Nothing is written anywhere: model bytes go to the optional sink.
/// </summary>
public sealed partial class ArchiveWalker(IngestOptions options, IModelSink? models)
{
    private const string Step = "!/";
    private static readonly string[] ArchiveExtensions = [".apk", ".apks", ".xapk", ".apkm", ".zip", ".obb"];
    private static readonly byte[] TfliteIdentifier = "TFL3"u8.ToArray();
    private const int TfliteIdentifierOffset = 4;
    private const int EmbeddedWalksPerEntry = 32;

    [GeneratedRegex(@"^classes\d*\.dex$")]
    private static partial Regex DexName();

    [GeneratedRegex(@"^lib/[^/]+/[^/]+\.so$")]
    private static partial Regex NativeLibraryName();

    /// <summary>Scans one crawled file; <paramref name="pathPrefix"/> is <c>""</c> or <c>"file!/"</c> (corpus path syntax).</summary>
    /// <returns>False when the file is not a readable archive at all (the problem is in <paramref name="findings"/>).</returns>
    public bool WalkFile(ByteSource source, string fileName, string pathPrefix, AppFindings findings, InflationBudget budget) =>
        WalkArchive(source, fileName, pathPrefix, 0, findings, budget);

    private bool WalkArchive(ByteSource source, string file, string prefix, int depth, AppFindings findings, InflationBudget budget)
    {
        ZipReader zip;
        try
        {
            zip = ZipReader.Open(source, options.ZipLimits);
        }
        catch (ArchiveException e)
        {
            string where = prefix.Length == 0 || prefix == file + Step ? file : $"{file}: {prefix[..^Step.Length]}";
            findings.Problems.Add(new ScanProblem(file, $"{where}: not a readable zip archive: {e.Message}"));
            return false;
        }
        findings.Entries += zip.Entries.Count;

        var names = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<ZipEntry>(zip.Entries.Count);
        foreach (var entry in zip.Entries)
        {
            if (HostileNameProblem(entry) is { } hostile)
                findings.Problems.Add(new ScanProblem(file, $"{file}: entry '{Printable(prefix + entry.Name)}': {hostile}"));
            else if (!names.Add(entry.Name))
                findings.Problems.Add(new ScanProblem(file, $"{file}: entry '{prefix}{entry.Name}': duplicate entry name (only the first is read)"));
            else if (!entry.IsDirectory)
                candidates.Add(entry);
        }
        var pairedWeights = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in candidates)
            if (ModelNames.NcnnWeightsNameFor(entry.Name) is { } weights && names.Contains(weights))
                pairedWeights.Add(weights);

        foreach (var entry in candidates)
        {
            if (pairedWeights.Contains(entry.Name)) continue;
            try
            {
                ExamineEntry(zip, entry, file, prefix, depth, names, findings, budget);
            }
            catch (ArchiveException e)
            {
                findings.Problems.Add(new ScanProblem(file, $"{file}: entry '{prefix}{entry.Name}': {e.Message}"));
            }
        }
        return true;
    }

    private static string? HostileNameProblem(ZipEntry entry)
    {
        if (entry.NameHasNul) return "hostile entry name: contains a NUL byte";
        string name = entry.Name;
        if (name.Length == 0) return "hostile entry name: empty";
        if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length >= 2 && name[1] == ':'))
            return "hostile entry name: absolute path";
        if (name.Split('/', '\\').Any(part => part == ".."))
            return "hostile entry name: path traversal ('..')";
        return null;
    }

    private static string Printable(string name) => name.Replace("\0", "\\0", StringComparison.Ordinal);

    private void ExamineEntry(ZipReader zip, ZipEntry entry, string file, string prefix, int depth, HashSet<string> names,
        AppFindings findings, InflationBudget budget)
    {
        string path = prefix + entry.Name;
        if (entry.Method == ZipEntry.Stored && HasArchiveExtension(entry.Name))
        {
            var range = zip.StoredRange(entry);
            Span<byte> start = stackalloc byte[4];
            if (range.Length >= start.Length)
            {
                range.ReadExactly(0, start, "entry start");
                if (ZipReader.LooksLikeZip(start))
                {
                    WalkNested(range, file, path, depth, findings, budget);
                    return;
                }
            }
        }

        byte[] content = zip.ReadContent(entry, budget);
        // Only a compiled manifest describes an installable APK; a text one (in a nested library archive) does not.
        if (entry.Name == "AndroidManifest.xml" && BinaryXml.IsBinaryXml(content))
        {
            findings.AddManifest(depth, AndroidManifest.Read(content));
            return;
        }
        if (FormatProbe.Identify(content, entry.Name) is { } identified)
        {
            var evidence = identified.Evidence.ToList();
            if (ModelNames.FormatSuggestedBy(entry.Name) == identified.Format && !evidence.Contains("extension"))
                evidence.Insert(0, "extension");
            if (identified.Format == "ncnn" && ModelNames.NcnnWeightsNameFor(entry.Name) is { } weights && names.Contains(weights))
                evidence.Add("weights:" + prefix + weights);
            AddModel(findings, path, content, identified.Format, evidence, encrypted: false, entropy: 0, entry.Storage);
            return;
        }
        if (ZipReader.LooksLikeZip(content))
        {
            WalkNested(ByteSource.FromMemory(content), file, path, depth, findings, budget);
            return;
        }
        if (DexName().IsMatch(entry.Name) && DexStrings.IsDex(content))
            FindDexEvidence(content, findings);
        if (NativeLibraryName().IsMatch(entry.Name))
            FindNativeLibraryEvidence(ModelNames.FileName(entry.Name), content, findings);
        if (FindEmbeddedTflite(content, file, path, entry.Storage, findings)) return;
        if (ModelNames.FormatSuggestedBy(entry.Name) is { } suggested)
        {
            double entropy = ModelDissector.Entropy(content);
            if (entropy > options.EncryptedEntropyBitsPerByte)
                AddModel(findings, path, content, suggested, ["extension", "entropy"], encrypted: true, Math.Round(entropy, 4), entry.Storage);
        }
    }

    private static bool HasArchiveExtension(string name) =>
        ArchiveExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase);

    private void WalkNested(ByteSource source, string file, string path, int depth, AppFindings findings, InflationBudget budget)
    {
        if (depth + 1 > options.MaxNestingDepth)
            throw new ArchiveException(0, "nesting depth", $"archive nested too deep: depth {depth + 1} exceeds the cap of {options.MaxNestingDepth}");
        WalkArchive(source, file, path + Step, depth + 1, findings, budget);
    }

    private void AddModel(AppFindings findings, string path, ReadOnlySpan<byte> bytes, string format, IReadOnlyList<string> evidence,
        bool encrypted, double entropy, string storage)
    {
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        models?.Keep(sha256, bytes);
        findings.Models.Add(new FoundModel(path, sha256, bytes.Length, format, evidence, encrypted, entropy, storage));
        if (!encrypted) findings.AddEvidence(new FoundEvidence(format, "model", path));
    }

    /// <summary>
    /// Finds TFLite models inside a larger blob: each <c>TFL3</c> identifier marks a possible model start 4 bytes
    /// earlier, accepted only when a FlatBuffer walk from there validates; the walk also gives the model's length.
    /// A walk may cost up to the bytes after its start, so rejected candidates draw on a budget of
    /// <see cref="EmbeddedWalksPerEntry"/> whole-entry walks, and their number is capped: a blob crafted with many
    /// near-valid candidates ends the search with a reported problem instead of taking quadratic time.
    /// </summary>
    private bool FindEmbeddedTflite(byte[] content, string file, string path, string storage, AppFindings findings)
    {
        bool found = false;
        int searchFrom = TfliteIdentifierOffset;
        if (content.Length < searchFrom + TfliteIdentifier.Length) return false;
        long walkBudget = EmbeddedWalksPerEntry * (long)content.Length;
        for (int candidates = 0; ; candidates++)
        {
            int hit = content.AsSpan(searchFrom).IndexOf(TfliteIdentifier);
            if (hit < 0) break;
            if (candidates == options.MaxEmbeddedCandidatesPerEntry || walkBudget < 0)
            {
                findings.Problems.Add(new ScanProblem(file,
                    $"{file}: entry '{path}': embedded-model search stopped after {candidates} TFL3 candidates (cap reached; the rest of the entry is not searched)"));
                break;
            }
            int start = searchFrom + hit - TfliteIdentifierOffset;
            if (FormatProbe.TfliteLength(content.AsMemory(start)) is int length and > 0 && length <= content.Length - start)
            {
                AddModel(findings, $"{path}@{start}", content.AsSpan(start, length), "tflite", ["embedded", "structure"],
                    encrypted: false, entropy: 0, storage);
                found = true;
                searchFrom = start + length + TfliteIdentifierOffset;
            }
            else
            {
                walkBudget -= content.Length - start;
                searchFrom = start + TfliteIdentifierOffset + 1;
            }
            if (searchFrom > content.Length) break;
        }
        return found;
    }

    private static void FindDexEvidence(byte[] dex, AppFindings findings) =>
        DexStrings.ForEach(dex, findings, static (f, value) =>
        {
            if (FrameworkSignatures.MatchDexString(value) is { } signature)
                f.AddEvidence(new FoundEvidence(signature.Framework, "dex", signature.Text));
        });

    private static void FindNativeLibraryEvidence(string fileName, byte[] library, AppFindings findings)
    {
        if (FrameworkSignatures.FrameworkOfLibraryName(fileName) is { } framework)
            findings.AddEvidence(new FoundEvidence(framework, "native-lib", fileName));
        if (!library.AsSpan().StartsWith("\u007fELF"u8)) return;
        foreach (var signature in FrameworkSignatures.NativeLibraryStrings)
            if (library.AsSpan().IndexOf(signature.Bytes) >= 0)
                findings.AddEvidence(new FoundEvidence(signature.Framework, "native-lib", $"{fileName}: {signature.Text}"));
    }
}
