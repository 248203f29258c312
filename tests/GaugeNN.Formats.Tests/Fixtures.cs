using System.Text.Json;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Formats.Tests;

/// <summary>The shared model fixtures (tests/fixtures/models) and their independent ground truth.</summary>
internal static class Fixtures
{
    public static readonly string Root = RepositoryRoot.Path;
    public static string ModelsFolder => Path.Combine(Root, "tests", "fixtures", "models");
    public static string RegressionsFolder => Path.Combine(Root, "tests", "GaugeNN.Formats.Tests", "regressions");

    private static readonly Lazy<JsonElement> ExpectedModels = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "tests", "fixtures", "expected-models.json")))
            .RootElement.GetProperty("models").Clone());

    public static JsonElement Expected(string key) => ExpectedModels.Value.GetProperty(key);

    /// <summary>The models tools/onnx-idioms.py builds, and their truth from onnx.shape_inference.</summary>
    public static string IdiomsFolder => Path.Combine(Root, "tests", "fixtures", "onnx-idioms");

    private static readonly Lazy<JsonElement> IdiomTruth = Models(Path.Combine(IdiomsFolder, "truth.json"));

    public static JsonElement Idiom(string file) => IdiomTruth.Value.GetProperty(file);

    public static IEnumerable<string> IdiomFiles() => IdiomTruth.Value.EnumerateObject().Select(p => p.Name);

    /// <summary>The models tools/format-fixtures.py builds (Paddle-Lite, TFLite metadata, …) with their declared truth.</summary>
    public static string FormatsFolder => Path.Combine(Root, "tests", "fixtures", "formats");

    private static readonly Lazy<JsonElement> FormatTruth = Models(Path.Combine(FormatsFolder, "truth.json"));

    /// <summary>The "models" object of a truth file written by one of the tools/ generators, read once.</summary>
    public static Lazy<JsonElement> Models(string truthFile) =>
        new(() => JsonDocument.Parse(File.ReadAllBytes(truthFile)).RootElement.GetProperty("models").Clone());

    public static JsonElement Declared(string file) => FormatTruth.Value.GetProperty(file);

    public static IEnumerable<string> FormatFiles() => FormatTruth.Value.EnumerateObject().Select(p => p.Name);

    public static IEnumerable<string> ExpectedKeys() => ExpectedModels.Value.EnumerateObject().Select(p => p.Name);

    /// <summary>
    /// A model under tests/fixtures/models, under this project's fixtures/ when the key starts "local/", or under
    /// tests/fixtures/onnx-idioms ("idioms/") or tests/fixtures/formats ("formats/").
    /// </summary>
    public static byte[] Read(string key) => File.ReadAllBytes(
        key.StartsWith("local/", StringComparison.Ordinal) ? Path.Combine(Root, "tests", "GaugeNN.Formats.Tests", "fixtures", key["local/".Length..])
        : key.StartsWith("idioms/", StringComparison.Ordinal) ? Path.Combine(IdiomsFolder, key["idioms/".Length..])
        : key.StartsWith("formats/", StringComparison.Ordinal) ? Path.Combine(FormatsFolder, key["formats/".Length..])
        : Path.Combine(ModelsFolder, key));

    public static IEnumerable<string> KeysOf(string framework) =>
        ExpectedKeys().Where(k => Expected(k).GetProperty("framework").GetString() == framework);

    public static TheoryData<string> Theory(IEnumerable<string> keys)
    {
        var data = new TheoryData<string>();
        foreach (string key in keys) data.Add(key);
        return data;
    }
}
