using System.Buffers.Binary;
using System.Diagnostics;
using GaugeNN.Formats.Archives;
using GaugeNN.Ingest.Android;
using GaugeNN.Ingest.Detection;

namespace GaugeNN.Ingest.Tests;

/// <summary>
/// Deterministic mutation fuzzing of the archive walk and the Android readers, seeded from the fixture APKs. Every
/// input must end in a scan result or a reported problem: no other exception, no hang. A crash input is saved so it
/// can be kept under regressions/, named after what it broke.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20211102;
    private static readonly TimeSpan SlowInput = TimeSpan.FromSeconds(5);

    /// <summary>Small caps, so that bombs are cut short quickly and the run stays within seconds.</summary>
    private static readonly IngestOptions Caps = new()
    {
        MaxEntryBytes = 4 << 20, MaxTotalInflatedBytes = 16 << 20, MaxCompressionRatio = 200, MaxEntries = 4096, MaxNestingDepth = 3,
    };

    private static readonly string[] SeedApks =
    [
        "2020-02/org.gaugenn.fixture.caffeapp.apk", "2020-02/org.gaugenn.fixture.mnnapp.apk", "2020-02/org.gaugenn.fixture.ncnnapp.apk",
        "2020-02/org.gaugenn.fixture.obbgame.apk", "2020-02/main.3.org.gaugenn.fixture.obbgame.obb", "2021-04/org.gaugenn.fixture.quantcam.apk",
        "2020-02/org.gaugenn.fixture.handy.apk",
    ];

    private static List<byte[]> Seeds()
    {
        var seeds = SeedApks.Select(p => File.ReadAllBytes(Path.Combine(RepoPaths.Root, "samples", "snapshots", p))).ToList();
        // Nested archives: a bundle holding an APK stored and deflated, and a nest of deflated bombs.
        seeds.Add(ZipBytes.Build(("base.apk", seeds[0], true), ("split_config.arm64_v8a.apk", seeds[1], false)));
        var bomb = ZipBytes.Build(("zeros.bin", new byte[8 << 20], false));
        seeds.Add(ZipBytes.Build(("a.zip", bomb, false), ("b.zip", ZipBytes.Build(("c.zip", bomb, false)), false)));
        return seeds;
    }

    [Fact]
    public void two_thousand_mutated_apks_each_end_in_a_scan_result_or_a_reported_problem()
    {
        var seeds = Seeds();
        var random = new Random(Seed);
        var walker = new ArchiveWalker(Caps, models: null);
        var total = Stopwatch.StartNew();
        var outcomes = new Dictionary<(bool Readable, bool Problems), int>();
        for (int i = 0; i < 2000; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var input = Mutate(seed, random);
            var findings = new AppFindings();
            var clock = Stopwatch.StartNew();
            bool readable;
            try
            {
                readable = walker.WalkFile(ByteSource.FromMemory(input), "fuzz.apk", "", findings, new InflationBudget(Caps.MaxTotalInflatedBytes));
            }
            catch (Exception e)
            {
                string saved = SaveCrash(input, i);
                throw new Xunit.Sdk.XunitException($"input {i} crashed the walk ({e.GetType().Name}: {e.Message}); saved as {saved}\n{e}");
            }
            Assert.True(readable || findings.Problems.Count > 0, $"input {i}: neither readable nor reported");
            outcomes[(readable, findings.Problems.Count > 0)] = outcomes.GetValueOrDefault((readable, findings.Problems.Count > 0)) + 1;
            Assert.True(clock.Elapsed < SlowInput, $"input {i} took {clock.Elapsed}");
        }
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"fuzz run took {total.Elapsed}");
        // The mutations must bite: some inputs unreadable, some read with problems, some read cleanly.
        Assert.Equal(3, outcomes.Count);
        Assert.All(outcomes.Values, count => Assert.True(count >= 100, $"outcomes {string.Join(", ", outcomes)}"));
    }

    [Fact]
    public void mutated_manifests_parse_or_fail_with_the_typed_exception()
    {
        var manifests = SeedApks.Take(4).Select(p => ReadEntry(Path.Combine(RepoPaths.Root, "samples", "snapshots", p), "AndroidManifest.xml")).ToList();
        var random = new Random(Seed + 1);
        for (int i = 0; i < 3000; i++)
        {
            var input = FlipBits(manifests[random.Next(manifests.Count)], random, random.Next(1, 8));
            try
            {
                AndroidManifest.Read(input);
            }
            catch (ArchiveException)
            {
            }
        }
    }

    [Fact]
    public void every_prefix_of_a_manifest_parses_or_fails_with_the_typed_exception()
    {
        var manifest = ReadEntry(Path.Combine(RepoPaths.Snapshot("2020-02"), "org.gaugenn.fixture.facecam.apk"), "AndroidManifest.xml");
        for (int length = 0; length < manifest.Length; length++)
        {
            try
            {
                AndroidManifest.Read(manifest.AsSpan(0, length));
            }
            catch (ArchiveException)
            {
            }
        }
    }

    [Fact]
    public void every_prefix_of_an_apk_is_read_or_reported()
    {
        var apk = File.ReadAllBytes(Path.Combine(RepoPaths.Snapshot("2020-02"), "org.gaugenn.fixture.caffeapp.apk"));
        var walker = new ArchiveWalker(Caps, models: null);
        for (int length = 0; length < apk.Length; length += 7)
        {
            var findings = new AppFindings();
            bool readable = walker.WalkFile(ByteSource.FromMemory(apk.AsMemory(0, length)), "prefix.apk", "", findings, new InflationBudget(Caps.MaxTotalInflatedBytes));
            Assert.True(readable || findings.Problems.Count > 0);
        }
    }

    [Fact]
    public void mutated_dex_files_are_walked_or_fail_with_the_typed_exception()
    {
        var dex = ReadEntry(Path.Combine(RepoPaths.Snapshot("2020-02"), "io.appium.settings.apk"), "classes4.dex");
        var random = new Random(Seed + 2);
        for (int i = 0; i < 1000; i++)
        {
            var input = random.Next(4) == 0 ? dex[..random.Next(dex.Length)] : FlipBits(dex, random, random.Next(1, 16));
            try
            {
                int count = 0;
                DexStrings.ForEach(input, 0, (_, _) => count++);
            }
            catch (ArchiveException)
            {
            }
        }
    }

    [Fact]
    public void saved_regression_inputs_are_read_or_reported()
    {
        var walker = new ArchiveWalker(Caps, models: null);
        var directory = RepoPaths.RegressionsDirectory;
        foreach (var file in Directory.Exists(directory) ? Directory.GetFiles(directory, "*.apk") : [])
        {
            var findings = new AppFindings();
            bool readable = walker.WalkFile(ByteSource.FromMemory(File.ReadAllBytes(file)), Path.GetFileName(file), "", findings, new InflationBudget(Caps.MaxTotalInflatedBytes));
            Assert.True(readable || findings.Problems.Count > 0, file);
        }
    }

    private static byte[] ReadEntry(string archive, string name)
    {
        var zip = ZipReader.Open(ByteSource.FromMemory(File.ReadAllBytes(archive)), new ZipLimits());
        return zip.ReadContent(zip.Entries.Single(e => e.Name == name), new InflationBudget(long.MaxValue));
    }

    private static byte[] Mutate(byte[] seed, Random random) => random.Next(8) switch
    {
        7 => RebuildWithMutatedEntry(seed, random),
        0 => FlipBits(seed, random, random.Next(1, 16)),
        1 => seed[..random.Next(seed.Length)],
        2 => LieInCentralDirectory(seed, random),
        3 => ShuffleCentralDirectory(seed, random),
        4 => LieInEndRecord(seed, random),
        5 => OverwriteRun(seed, random),
        _ => FlipBits(LieInCentralDirectory(seed, random), random, random.Next(1, 4)),
    };

    /// <summary>
    /// Rebuilds the archive with one entry's content mutated and a correct CRC, so the damage reaches the manifest,
    /// DEX and model readers instead of stopping at the CRC check.
    /// </summary>
    private static byte[] RebuildWithMutatedEntry(byte[] seed, Random random)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(seed), System.IO.Compression.ZipArchiveMode.Read);
        var entries = archive.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e =>
        {
            using var content = new MemoryStream();
            using (var stream = e.Open()) stream.CopyTo(content);
            return (Name: e.FullName, Content: content.ToArray(), Stored: e.CompressedLength == e.Length);
        }).ToArray();
        if (entries.Length == 0) return seed;
        int victim = random.Next(entries.Length);
        var bytes = entries[victim].Content;
        entries[victim].Content = bytes.Length == 0 ? bytes : random.Next(3) == 0 ? bytes[..random.Next(bytes.Length)] : FlipBits(bytes, random, random.Next(1, 8));
        return ZipBytes.Build(entries);
    }

    private static byte[] FlipBits(byte[] seed, Random random, int flips)
    {
        var copy = (byte[])seed.Clone();
        for (int i = 0; i < flips && copy.Length > 0; i++)
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] OverwriteRun(byte[] seed, Random random)
    {
        var copy = (byte[])seed.Clone();
        int start = random.Next(copy.Length), length = Math.Min(copy.Length - start, random.Next(1, 64));
        random.NextBytes(copy.AsSpan(start, length));
        return copy;
    }

    /// <summary>Rewrites one field of one central-directory record: sizes, CRC, method, flags, name/extra lengths, offset.</summary>
    private static byte[] LieInCentralDirectory(byte[] seed, Random random)
    {
        var copy = (byte[])seed.Clone();
        var headers = ZipBytes.CentralHeaders(copy);
        if (headers.Count == 0) return copy;
        int header = headers[random.Next(headers.Count)];
        int[] fields32 = [16, 20, 24, 42];
        int[] fields16 = [8, 10, 28, 30, 32];
        if (random.Next(2) == 0)
        {
            int at = header + fields32[random.Next(fields32.Length)];
            uint value = random.Next(3) switch { 0 => 0xFFFFFFFF, 1 => (uint)random.Next(), _ => (uint)random.Next(copy.Length * 2) };
            if (at + 4 <= copy.Length) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), value);
        }
        else
        {
            int at = header + fields16[random.Next(fields16.Length)];
            if (at + 2 <= copy.Length) BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at), (ushort)random.Next(3) switch { 0 => 0xFFFF, _ => (ushort)random.Next(0x10000) });
        }
        return copy;
    }

    /// <summary>Swaps two central-directory records' local header offsets, so entries point at each other's data.</summary>
    private static byte[] ShuffleCentralDirectory(byte[] seed, Random random)
    {
        var copy = (byte[])seed.Clone();
        var headers = ZipBytes.CentralHeaders(copy);
        if (headers.Count < 2) return copy;
        int a = headers[random.Next(headers.Count)] + 42, b = headers[random.Next(headers.Count)] + 42;
        if (a + 4 > copy.Length || b + 4 > copy.Length) return copy;
        uint offsetA = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(a));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(a), BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(b)));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(b), offsetA);
        return copy;
    }

    /// <summary>Rewrites the end record's entry count, directory size or directory offset.</summary>
    private static byte[] LieInEndRecord(byte[] seed, Random random)
    {
        var copy = (byte[])seed.Clone();
        int eocd = copy.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        if (eocd < 0 || eocd + 22 > copy.Length) return copy;
        switch (random.Next(3))
        {
            case 0: BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(eocd + 10), (ushort)random.Next(0x10000)); break;
            case 1: BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(eocd + 12), (uint)random.Next()); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(eocd + 16), (uint)random.Next(copy.Length + 100)); break;
        }
        return copy;
    }

    private static string SaveCrash(byte[] input, int index)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gaugenn-fuzz-crash-{Seed}-{index}.apk");
        File.WriteAllBytes(path, input);
        return path;
    }
}
