using GaugeNN.Events;

namespace GaugeNN.Ingest.Tests;

/// <summary>
/// Each hostile file sits in a snapshot folder beside a good APK: the hostile one yields a failure naming the problem,
/// the good one is still scanned, and nothing is written outside the data folder.
/// </summary>
public sealed class HostileInputTests
{
    private const string GoodApk = "org.gaugenn.fixture.facecam.apk";
    private const string GoodPackage = "org.gaugenn.fixture.facecam";
    private static readonly byte[] Tflite = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "tests", "fixtures", "models", "tflite", "face_detection_short_range.tflite"));

    private static async Task<List<AppScan>> ScanBesideGoodApk(string hostileName, byte[] hostileBytes, IngestOptions? options = null)
    {
        using var root = new TempFolder();
        string snapshot = root.Combine("snapshot"), data = root.Combine("data");
        Directory.CreateDirectory(snapshot);
        File.Copy(Path.Combine(RepoPaths.Snapshot("2020-02"), GoodApk), Path.Combine(snapshot, GoodApk));
        File.WriteAllBytes(Path.Combine(snapshot, hostileName), hostileBytes);
        var before = Directory.EnumerateFileSystemEntries(root.Path, "*", SearchOption.AllDirectories).ToHashSet();

        var scans = await Scanning.ScanAsync("hostile", snapshot, options ?? new IngestOptions(), new GaugeNN.Application.ModelBlobStore(data));

        var written = Directory.EnumerateFileSystemEntries(root.Path, "*", SearchOption.AllDirectories).Except(before).ToList();
        Assert.All(written, path => Assert.True(path == data || path.StartsWith(data + Path.DirectorySeparatorChar), $"{path} is outside the data folder"));
        var good = scans.App(GoodPackage);
        Assert.Single(good.Of<ApkScanned>());
        Assert.Single(good.Of<ModelFileFound>());
        Assert.Empty(good.Of<AppScanFailed>());
        return scans;
    }

    private static AppScanFailed FailureMentioning(List<AppScan> scans, string problem) =>
        Assert.Single(scans.SelectMany(s => s.Of<AppScanFailed>()), f => f.Reason.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public async Task a_truncated_zip_yields_a_failure_and_the_rest_of_the_snapshot_goes_on()
    {
        var whole = File.ReadAllBytes(Path.Combine(RepoPaths.Snapshot("2020-02"), "org.gaugenn.fixture.caffeapp.apk"));
        var scans = await ScanBesideGoodApk("truncated.apk", whole[..(whole.Length / 2)]);
        var failure = FailureMentioning(scans, "not a readable zip archive");
        Assert.Equal("truncated.apk", failure.File);
        Assert.Empty(scans.App("truncated").Of<ApkScanned>());
    }

    [Fact]
    public async Task garbage_with_an_apk_name_yields_a_failure_and_the_rest_of_the_snapshot_goes_on()
    {
        var garbage = new byte[10_000];
        new Random(3).NextBytes(garbage);
        var scans = await ScanBesideGoodApk("garbage.apk", garbage);
        Assert.Contains("no end-of-central-directory record", FailureMentioning(scans, "garbage.apk").Reason);
    }

    [Fact]
    public async Task a_zip_bomb_yields_a_failure_and_the_rest_of_the_snapshot_goes_on()
    {
        var bomb = ZipBytes.Build(("assets/zeros.bin", new byte[16 << 20], false));
        var scans = await ScanBesideGoodApk("bomb.apk", bomb, new IngestOptions { MaxCompressionRatio = 100 });
        Assert.Contains("assets/zeros.bin", FailureMentioning(scans, "zip bomb").Reason);
    }

    [Fact]
    public async Task an_entry_larger_than_the_entry_cap_yields_a_failure()
    {
        var big = ZipBytes.Build(("assets/big.bin", new byte[1 << 20], true));
        var scans = await ScanBesideGoodApk("big.apk", big, new IngestOptions { MaxEntryBytes = 1 << 19 });
        FailureMentioning(scans, "exceeds the entry cap");
    }

    [Fact]
    public async Task an_app_inflating_more_than_its_total_budget_yields_a_failure()
    {
        var many = ZipBytes.Build(("assets/a.bin", new byte[300_000], false), ("assets/b.bin", new byte[300_000], false));
        var scans = await ScanBesideGoodApk("many.apk", many, new IngestOptions { MaxTotalInflatedBytes = 500_000 });
        Assert.Contains("assets/b.bin", FailureMentioning(scans, "total inflation cap").Reason);
    }

    [Fact]
    public async Task an_entry_that_inflates_beyond_its_declared_size_yields_a_failure()
    {
        var lying = ZipBytes.SetUncompressedSize(ZipBytes.Build(("assets/text.txt", new byte[50_000], false)), 0, 1000);
        var scans = await ScanBesideGoodApk("lying.apk", lying);
        FailureMentioning(scans, "inflates beyond its declared 1000 bytes");
    }

    [Fact]
    public async Task a_corrupted_entry_fails_its_crc_check()
    {
        var content = new byte[4000];
        new Random(5).NextBytes(content);
        var zip = ZipBytes.Build(("assets/random.bin", content, true));
        int at = zip.AsSpan().IndexOf(content.AsSpan(0, 64));
        zip[at + 100] ^= 0xFF;
        var scans = await ScanBesideGoodApk("corrupt.apk", zip);
        FailureMentioning(scans, "CRC-32");
    }

    [Fact]
    public async Task a_path_traversal_entry_name_is_reported_and_never_written()
    {
        var zip = ZipBytes.ReplaceAll(ZipBytes.Build(("XX/evil.tflite", Tflite, true), ("assets/ok.txt", "ok"u8.ToArray(), true)), "XX/evil", "../evil");
        var scans = await ScanBesideGoodApk("traversal.apk", zip);
        Assert.Contains("../evil.tflite", FailureMentioning(scans, "path traversal").Reason);
        Assert.Empty(scans.App("traversal").Of<ModelFileFound>());
        Assert.Single(scans.App("traversal").Of<ApkScanned>());
    }

    [Fact]
    public async Task an_absolute_entry_name_is_reported()
    {
        var zip = ZipBytes.ReplaceAll(ZipBytes.Build(("Xtmp/evil.tflite", Tflite, true)), "Xtmp/evil", "/tmp/evil");
        var scans = await ScanBesideGoodApk("absolute.apk", zip);
        Assert.Contains("/tmp/evil.tflite", FailureMentioning(scans, "absolute path").Reason);
    }

    [Fact]
    public async Task a_nul_byte_in_an_entry_name_is_reported()
    {
        var zip = ZipBytes.ReplaceAll(ZipBytes.Build(("assets/evilX.tflite", Tflite, true)), "evilX", "evil\0");
        var scans = await ScanBesideGoodApk("nul.apk", zip);
        Assert.Contains("evil\\0", FailureMentioning(scans, "NUL byte").Reason);
    }

    [Fact]
    public async Task an_encrypted_entry_is_reported_and_not_read()
    {
        var zip = ZipBytes.SetFlags(ZipBytes.Build(("assets/secret.tflite", Tflite, true)), 1);
        var scans = await ScanBesideGoodApk("encrypted.apk", zip);
        Assert.Contains("assets/secret.tflite", FailureMentioning(scans, "entry is encrypted").Reason);
        Assert.Empty(scans.App("encrypted").Of<ModelFileFound>());
    }

    [Fact]
    public async Task a_blob_crafted_with_many_tflite_identifiers_stops_the_embedded_search_with_a_failure()
    {
        var blob = new byte[200_000];
        for (int i = 0; i + 8 <= blob.Length; i += 8) "xxxxTFL3"u8.CopyTo(blob.AsSpan(i));
        var scans = await ScanBesideGoodApk("decoys.apk", ZipBytes.Build(("assets/decoys.data", blob, false)));
        Assert.Contains("assets/decoys.data", FailureMentioning(scans, "embedded-model search stopped").Reason);
    }

    [Fact]
    public async Task an_entry_named_differently_in_its_local_header_is_refused()
    {
        var zip = ZipBytes.ReplaceFirst(ZipBytes.Build(("assets/a.tflite", Tflite, true)), "assets/a.tflite", "assets/b.tflite");
        var scans = await ScanBesideGoodApk("masterkey.apk", zip);
        Assert.Contains("assets/a.tflite", FailureMentioning(scans, "local header names a different entry").Reason);
        Assert.Empty(scans.App("masterkey").Of<ModelFileFound>());
    }

    [Fact]
    public async Task duplicate_entry_names_are_reported_and_only_the_first_is_read()
    {
        var zip = ZipBytes.ReplaceAll(ZipBytes.Build(("assets/a.tflite", Tflite, true), ("assets/b.tflite", Tflite, true)), "assets/b.tflite", "assets/a.tflite");
        var scans = await ScanBesideGoodApk("duplicate.apk", zip);
        FailureMentioning(scans, "duplicate entry name");
        Assert.Single(scans.App("duplicate").Of<ModelFileFound>());
    }

    [Fact]
    public async Task an_archive_nested_too_deep_is_reported_and_shallower_models_are_still_found()
    {
        var innermost = ZipBytes.Build(("deep.tflite", Tflite, true));
        var middle = ZipBytes.Build(("inner.zip", innermost, true), ("mid.tflite", Tflite, true));
        var outer = ZipBytes.Build(("middle.apk", middle, false));
        var scans = await ScanBesideGoodApk("nested.apk", outer, new IngestOptions { MaxNestingDepth = 1 });
        Assert.Contains("middle.apk!/inner.zip", FailureMentioning(scans, "nested too deep").Reason);
        Assert.Equal(["middle.apk!/mid.tflite"], scans.App("nested").Of<ModelFileFound>().Select(m => m.Path));
    }

    [Fact]
    public async Task a_listed_app_whose_file_is_missing_is_listed_but_not_scanned()
    {
        using var root = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Snapshot("2020-02"), GoodApk), root.Combine(GoodApk));
        File.WriteAllLines(root.Combine("listing.jsonl"),
        [
            $$"""{"package": "{{GoodPackage}}", "rank": 1, "apk": "{{GoodApk}}"}""",
            """{"package": "org.example.gone", "rank": 2, "apk": "org.example.gone.apk"}""",
        ]);
        var scans = await Scanning.ScanAsync("s", root.Path);
        var gone = scans.App("org.example.gone");
        Assert.Single(gone.Of<AppListed>());
        Assert.Empty(gone.Of<ApkScanned>());
        Assert.Contains("listed but not scanned", Assert.Single(gone.Of<AppScanFailed>()).Reason);
        Assert.Single(scans.App(GoodPackage).Of<ModelFileFound>());
    }

    [Fact]
    public async Task a_bad_listing_line_is_reported_with_its_line_number_and_the_other_lines_still_count()
    {
        using var root = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Snapshot("2020-02"), GoodApk), root.Combine(GoodApk));
        File.WriteAllLines(root.Combine("listing.jsonl"),
        [
            "{not json",
            $$"""{"package": "{{GoodPackage}}", "rank": 1, "apk": "{{GoodApk}}"}""",
            """{"package": "org.example.evil", "apk": "../../etc/passwd"}""",
        ]);
        var scans = await Scanning.ScanAsync("s", root.Path);
        var reasons = scans.Where(s => s.Package == "").SelectMany(s => s.Of<AppScanFailed>()).Select(f => f.Reason).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.StartsWith("listing.jsonl line 1:", reasons[0]);
        Assert.Contains("line 3: apk file name \"../../etc/passwd\" is not a plain file name", reasons[1]);
        Assert.Single(scans.App(GoodPackage).Of<AppListed>());
        Assert.Single(scans.App(GoodPackage).Of<ModelFileFound>());
    }

    [Fact]
    public async Task a_listing_number_beyond_the_range_of_a_double_is_a_bad_line_not_an_infinite_rating()
    {
        using var root = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Snapshot("2020-02"), GoodApk), root.Combine(GoodApk));
        File.WriteAllLines(root.Combine("listing.jsonl"),
        [
            $$"""{"package": "{{GoodPackage}}", "rating": 1e999, "apk": "{{GoodApk}}"}""",
            """{"package": "org.example.low", "rating": -1e999}""",
        ]);
        var scans = await Scanning.ScanAsync("s", root.Path);
        var reasons = scans.Where(s => s.Package == "").SelectMany(s => s.Of<AppScanFailed>()).Select(f => f.Reason).ToList();
        Assert.Equal(["listing.jsonl line 1: 'rating' is out of range", "listing.jsonl line 2: 'rating' is out of range"], reasons);
        Assert.All(scans.SelectMany(s => s.Of<AppListed>()), l => Assert.True(l.Rating is null || double.IsFinite(l.Rating.Value)));
    }

    [Fact]
    public async Task a_listing_string_holding_a_nul_character_is_a_bad_line_since_the_event_store_cannot_hold_it()
    {
        using var root = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Snapshot("2020-02"), GoodApk), root.Combine(GoodApk));
        File.WriteAllLines(root.Combine("listing.jsonl"),
        [
            """{"package": "org.example.nul", "title": "a\u0000b"}""",
            $$"""{"package": "{{GoodPackage}}", "title": "\u001b[2J\u202e", "apk": "{{GoodApk}}"}""",
        ]);
        var scans = await Scanning.ScanAsync("s", root.Path);
        var reasons = scans.Where(s => s.Package == "").SelectMany(s => s.Of<AppScanFailed>()).Select(f => f.Reason).ToList();
        Assert.Equal(["listing.jsonl line 1: 'title' contains a NUL character"], reasons);
        Assert.Equal("\u001b[2J\u202e", Assert.Single(scans.App(GoodPackage).Of<AppListed>()).Title);
    }

    [Fact]
    public async Task an_unlisted_apk_takes_its_package_from_its_manifest_and_an_unlisted_obb_joins_it_by_name()
    {
        using var root = new TempFolder();
        var source = RepoPaths.Snapshot("2020-02");
        File.Copy(Path.Combine(source, "org.gaugenn.fixture.obbgame.apk"), root.Combine("renamed.apk"));
        File.Copy(Path.Combine(source, "main.3.org.gaugenn.fixture.obbgame.obb"), root.Combine("main.3.org.gaugenn.fixture.obbgame.obb"));
        var scans = await Scanning.ScanAsync("s", root.Path);
        var names = scans.Select(s => s.Package).Order().ToList();
        Assert.Contains("org.gaugenn.fixture.obbgame", names);
        var models = scans.SelectMany(s => s.Of<ModelFileFound>()).Select(m => m.Path).ToList();
        Assert.Equal(["main.3.org.gaugenn.fixture.obbgame.obb!/models/blazeface.param"], models);
    }
}
