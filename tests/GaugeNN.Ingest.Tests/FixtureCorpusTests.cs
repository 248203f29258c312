using System.Collections.Concurrent;
using System.Text.Json;
using GaugeNN.Events;

namespace GaugeNN.Ingest.Tests;

/// <summary>
/// Ingesting the project's copies of the fixture snapshots reproduces tests/fixtures/expected.json: the answers are
/// read from that file, never typed here.
/// </summary>
public sealed class FixtureCorpusTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(RepoPaths.Expected)).RootElement;
    private static readonly ConcurrentDictionary<string, Lazy<List<AppScan>>> Scans = new();

    private static List<AppScan> ScanOf(string snapshot) =>
        Scans.GetOrAdd(snapshot, s => new Lazy<List<AppScan>>(() => Scanning.ScanAsync(s, RepoPaths.Snapshot(s)).GetAwaiter().GetResult())).Value;

    private static JsonElement SnapshotExpected(string snapshot) => Expected.GetProperty("snapshots").GetProperty(snapshot);

    public static TheoryData<string> Snapshots()
    {
        var data = new TheoryData<string>();
        foreach (var snapshot in Expected.GetProperty("snapshots").EnumerateObject()) data.Add(snapshot.Name);
        return data;
    }

    public static TheoryData<string, string> Apps()
    {
        var data = new TheoryData<string, string>();
        foreach (var snapshot in Expected.GetProperty("snapshots").EnumerateObject())
            foreach (var app in snapshot.Value.GetProperty("apps").EnumerateObject())
                data.Add(snapshot.Name, app.Name);
        return data;
    }

    private static JsonElement AppExpected(string snapshot, string package) => SnapshotExpected(snapshot).GetProperty("apps").GetProperty(package);

    private static IEnumerable<ModelFileFound> Models(AppScan scan) => scan.Of<ModelFileFound>().Where(m => !m.Encrypted);

    [Theory, MemberData(nameof(Apps))]
    public void each_app_yields_exactly_the_model_files_of_expected_json(string snapshot, string package)
    {
        var expected = AppExpected(snapshot, package).GetProperty("models").EnumerateArray()
            .Select(m => $"{m.GetProperty("path").GetString()} {m.GetProperty("sha256").GetString()} {m.GetProperty("framework").GetString()} {m.GetProperty("size").GetInt64()} {m.GetProperty("storage").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        var actual = Models(ScanOf(snapshot).App(package))
            .Select(m => $"{m.Path} {m.Sha256} {m.Format} {m.Bytes} {m.Storage}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory, MemberData(nameof(Apps))]
    public void each_app_yields_exactly_the_encrypted_models_of_expected_json(string snapshot, string package)
    {
        var expected = AppExpected(snapshot, package).GetProperty("encryptedModels").EnumerateArray()
            .Select(m => $"{m.GetProperty("path").GetString()} {m.GetProperty("sha256").GetString()} {m.GetProperty("size").GetInt64()} {m.GetProperty("storage").GetString()} {m.GetProperty("entropyBitsPerByte").GetDouble():F4}")
            .Order(StringComparer.Ordinal).ToList();
        var actual = ScanOf(snapshot).App(package).Of<ModelFileFound>().Where(m => m.Encrypted)
            .Select(m => $"{m.Path} {m.Sha256} {m.Bytes} {m.Storage} {m.Entropy:F4}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory, MemberData(nameof(Apps))]
    public void each_app_reports_the_version_its_manifest_declares(string snapshot, string package)
    {
        var expected = AppExpected(snapshot, package);
        var scanned = Assert.Single(ScanOf(snapshot).App(package).Of<ApkScanned>());
        Assert.Equal(expected.GetProperty("versionCode").GetInt64(), scanned.VersionCode);
        Assert.Equal(expected.GetProperty("versionName").GetString(), scanned.VersionName);
    }

    [Theory, MemberData(nameof(Apps))]
    public void each_fixture_app_scans_without_a_failure(string snapshot, string package) =>
        Assert.Empty(ScanOf(snapshot).App(package).Of<AppScanFailed>().Select(f => f.Reason));

    [Theory, MemberData(nameof(Snapshots))]
    public void snapshot_counts_match_expected_json(string snapshot)
    {
        var expected = SnapshotExpected(snapshot);
        var scans = ScanOf(snapshot);
        var models = scans.SelectMany(Models).ToList();
        var encrypted = scans.SelectMany(s => s.Of<ModelFileFound>()).Where(m => m.Encrypted).ToList();
        Assert.Equal(expected.GetProperty("appsListed").GetInt32(), scans.Count(s => s.Of<AppListed>().Any()));
        Assert.Equal(expected.GetProperty("appsWithModels").GetInt32(), scans.Count(s => Models(s).Any()));
        Assert.Equal(expected.GetProperty("appsWithModelsOrEncrypted").GetInt32(), scans.Count(s => s.Of<ModelFileFound>().Any()));
        Assert.Equal(expected.GetProperty("modelFiles").GetInt32(), models.Count);
        Assert.Equal(expected.GetProperty("uniqueModelSha256Count").GetInt32(), models.Select(m => m.Sha256).Distinct().Count());
        Assert.Equal(expected.GetProperty("encryptedModels").GetInt32(), encrypted.Count);
        var byFramework = expected.GetProperty("modelFilesByFramework").EnumerateObject()
            .Where(p => p.Value.GetInt32() > 0).ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(byFramework.OrderBy(p => p.Key), models.CountBy(m => m.Format).OrderBy(p => p.Key));
    }

    [Theory, MemberData(nameof(Snapshots))]
    public void the_stand_in_native_library_is_evidence_of_its_framework_by_name(string snapshot)
    {
        foreach (var app in SnapshotExpected(snapshot).GetProperty("apps").EnumerateObject())
            foreach (var library in app.Value.GetProperty("nativeLibs").EnumerateArray())
            {
                string fileName = library.GetProperty("path").GetString()!.Split('/')[^1];
                var evidence = ScanOf(snapshot).App(app.Name).Of<FrameworkEvidenceFound>().Where(e => e.Kind == "native-lib").ToList();
                var single = Assert.Single(evidence);
                Assert.Equal((library.GetProperty("frameworkHint").GetString(), fileName), (single.Framework, single.Detail));
            }
    }

    [Theory, MemberData(nameof(Snapshots))]
    public void the_real_apk_without_dl_yields_no_model_and_no_framework_evidence(string snapshot)
    {
        var appium = ScanOf(snapshot).App("io.appium.settings");
        Assert.Single(appium.Of<ApkScanned>());
        Assert.Empty(appium.Of<ModelFileFound>());
        Assert.Empty(appium.Of<FrameworkEvidenceFound>());
    }

    [Theory, MemberData(nameof(Snapshots))]
    public void every_model_file_is_also_framework_evidence_of_kind_model(string snapshot)
    {
        foreach (var scan in ScanOf(snapshot))
        {
            var evidence = scan.Of<FrameworkEvidenceFound>().Where(e => e.Kind == "model").Select(e => (e.Framework, e.Detail)).ToList();
            Assert.Equal(Models(scan).Select(m => (m.Format, m.Path)), evidence);
        }
    }

    [Fact]
    public async Task scanning_the_same_bytes_twice_gives_the_same_scan_keys()
    {
        var first = await Scanning.ScanAsync("2020-02", RepoPaths.Snapshot("2020-02"));
        var second = await Scanning.ScanAsync("2020-02", RepoPaths.Snapshot("2020-02"), new IngestOptions { Parallelism = 1 });
        Assert.Equal(first.ToDictionary(s => s.Package, s => s.ScanKey).OrderBy(p => p.Key), second.ToDictionary(s => s.Package, s => s.ScanKey).OrderBy(p => p.Key));
    }

    [Fact]
    public void an_unchanged_app_has_the_same_scan_key_in_both_snapshots_and_a_changed_one_does_not()
    {
        Assert.Equal(ScanOf("2020-02").App("org.gaugenn.fixture.handy").ScanKey, ScanOf("2021-04").App("org.gaugenn.fixture.handy").ScanKey);
        Assert.NotEqual(ScanOf("2020-02").App("org.gaugenn.fixture.facecam").ScanKey, ScanOf("2021-04").App("org.gaugenn.fixture.facecam").ScanKey);
    }

    [Fact]
    public void the_manifest_gives_sdk_levels_and_a_bundle_takes_them_from_its_base_apk()
    {
        var facecam = Assert.Single(ScanOf("2020-02").App("org.gaugenn.fixture.facecam").Of<ApkScanned>());
        Assert.Equal((21, 29), (facecam.MinSdk, facecam.TargetSdk));
        var splitcam = Assert.Single(ScanOf("2021-04").App("org.gaugenn.fixture.splitcam").Of<ApkScanned>());
        Assert.Equal(7, splitcam.VersionCode);
        var appium = Assert.Single(ScanOf("2021-04").App("io.appium.settings").Of<ApkScanned>());
        Assert.Equal(35, appium.TargetSdk);
        Assert.Contains("android.permission.INTERNET", appium.Permissions);
    }
}
