using GaugeNN.Tests.Shared;

namespace GaugeNN.Ingest.Tests;

/// <summary>Where this project's inputs are in the repository.</summary>
public static class RepoPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string Snapshot(string id) => RepositoryRoot.Snapshot(id);

    public static string Expected => RepositoryRoot.Fixture("expected.json");

    public static string RegressionsDirectory => Path.Combine(Root, "tests", "GaugeNN.Ingest.Tests", "regressions");
}

/// <summary>A temporary folder removed after the test; tests write nothing elsewhere.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("gaugenn-ingest-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
