using System.IO.Compression;
using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Per app, what GraphQL says an ingested snapshot contains equals expected.json.</summary>
public sealed class SnapshotContentsTests
{
    private const string AppsQuery = """
        { snapshot(id: "ID") { apps(first: 1000) { edges { node { package versionCode listed scanned
            models { path sha256 format bytes encrypted storage evidence } frameworks { name evidence } } } } } }
        """;

    [Theory]
    [InlineData("2020-02")]
    [InlineData("2021-04")]
    public async Task every_app_has_exactly_the_model_files_and_version_of_expected_json(string snapshot)
    {
        await using var w = new Workspace();
        await w.IngestAsync(snapshot);
        await w.ProjectAsync();
        var apps = Workspace.Nodes((await w.GraphQLAsync(AppsQuery.Replace("ID", snapshot)))["snapshot"]!["apps"]).AsArray()
            .ToDictionary(a => (string)a!["package"]!, a => a!);
        var expected = Repo.Expected["snapshots"]![snapshot]!["apps"]!.AsObject();

        Assert.Equal(expected.Select(a => a.Key).Order(), apps.Keys.Order());
        foreach (var (package, truth) in expected)
        {
            var app = apps[package];
            Assert.True((bool)app["listed"]! && (bool)app["scanned"]!, package);
            Assert.Equal((long)truth!["versionCode"]!, (long)app["versionCode"]!);
            var models = app["models"]!.AsArray();
            var identified = models.Where(m => !(bool)m!["encrypted"]!)
                .Select(m => ((string)m!["path"]!, (string)m["sha256"]!, (string)m["format"]!, (long)m["bytes"]!, (string)m["storage"]!))
                .Order().ToList();
            var expectedIdentified = truth["models"]!.AsArray()
                .Select(m => ((string)m!["path"]!, (string)m["sha256"]!, (string)m["framework"]!, (long)m["size"]!, (string)m["storage"]!))
                .Order().ToList();
            Assert.Equal(expectedIdentified, identified);
            var encrypted = models.Where(m => (bool)m!["encrypted"]!)
                .Select(m => ((string)m!["path"]!, (string)m["sha256"]!, (long)m["bytes"]!)).Order().ToList();
            var expectedEncrypted = truth["encryptedModels"]!.AsArray()
                .Select(m => ((string)m!["path"]!, (string)m["sha256"]!, (long)m["size"]!)).Order().ToList();
            Assert.Equal(expectedEncrypted, encrypted);
            // Every identified model's framework is named by model evidence.
            var frameworks = app["frameworks"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!["evidence"]!.AsArray().Select(e => (string)e!).ToList());
            foreach (var format in expectedIdentified.Select(m => m.Item3).Distinct())
                Assert.Contains("model", frameworks[format]);
            foreach (var lib in truth["nativeLibs"]!.AsArray())
                Assert.Contains("native-lib", frameworks[(string)lib!["frameworkHint"]!]);
        }
    }

    [Fact]
    public async Task the_real_apk_without_dl_content_has_no_model_and_no_framework_evidence()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2021-04");
        await w.ProjectAsync();
        var apps = Workspace.Nodes((await w.GraphQLAsync(AppsQuery.Replace("ID", "2021-04")))["snapshot"]!["apps"]).AsArray();
        var appium = apps.Single(a => (string)a!["package"]! == "io.appium.settings")!;
        Assert.True((bool)appium["scanned"]!);
        Assert.Empty(appium["models"]!.AsArray());
        Assert.Empty(appium["frameworks"]!.AsArray());
    }

    [Fact]
    public async Task a_listed_app_whose_apk_is_missing_is_listed_but_not_scanned_with_the_reason()
    {
        await using var w = new Workspace();
        string folder = w.CopySnapshot("2020-02", f => f.EndsWith("caffeapp.apk"));
        await w.IngestAsync("2020-02", folder);
        await w.ProjectAsync();

        var apps = Workspace.Nodes((await w.GraphQLAsync(AppsQuery.Replace("ID", "2020-02")))["snapshot"]!["apps"]).AsArray();
        var caffe = apps.Single(a => (string)a!["package"]! == "org.gaugenn.fixture.caffeapp")!;
        Assert.True((bool)caffe["listed"]!);
        Assert.False((bool)caffe["scanned"]!);
        var summary = (await w.GraphQLAsync("{ snapshots { apps appsScanned appsFailed } }"))["snapshots"]![0]!;
        Assert.Equal(12, (int)summary["apps"]!);
        Assert.Equal(11, (int)summary["appsScanned"]!);
        Assert.Equal(1, (int)summary["appsFailed"]!);
    }

    [Fact]
    public async Task snapshot_frameworks_tell_apps_shipping_models_from_apps_only_linking_a_framework()
    {
        await using var w = new Workspace();
        string folder = w.CopySnapshot("2020-02");
        // An app that links TensorFlow Lite's JNI library but ships no model (it would download one at run time).
        string library = Path.Combine(w.Root, "lib.so");
        using (var splitcam = System.IO.Compression.ZipFile.OpenRead(Path.Combine(folder, "org.gaugenn.fixture.splitcam.apks")))
        using (var split = new System.IO.Compression.ZipArchive(splitcam.GetEntry("split_config.arm64_v8a.apk")!.Open()))
            split.GetEntry("lib/arm64-v8a/libtensorflowlite_jni.so")!.ExtractToFile(library);
        using (var apk = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "com.example.downloader.apk"), System.IO.Compression.ZipArchiveMode.Create))
            apk.CreateEntryFromFile(library, "lib/arm64-v8a/libtensorflowlite_jni.so");

        await w.IngestAsync("2020-02", folder);
        await w.ProjectAsync();
        var snapshot = (await w.GraphQLAsync("{ snapshots { frameworks { name apps appsWithModels appsLinkingOnly modelFiles } } }"))["snapshots"]![0]!;
        var tflite = snapshot["frameworks"]!.AsArray().Single(f => (string)f!["name"]! == "tflite")!;
        var expected = Repo.Expected["snapshots"]!["2020-02"]!;
        long appsWithTflite = expected["apps"]!.AsObject().Count(a => a.Value!["models"]!.AsArray().Any(m => (string)m!["framework"]! == "tflite"));
        Assert.Equal(appsWithTflite, (long)tflite["appsWithModels"]!);
        Assert.Equal(1, (long)tflite["appsLinkingOnly"]!);
        Assert.Equal(appsWithTflite + 1, (long)tflite["apps"]!);
        Assert.Equal((long)expected["modelFilesByFramework"]!["tflite"]!, (long)tflite["modelFiles"]!);
    }
}
