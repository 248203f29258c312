using System.Runtime.CompilerServices;

namespace GaugeNN.Ingest.Tests;

/// <summary>Finds the repository (the folder holding GaugeNN.sln) from wherever the tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Snapshot(string id) => Path.Combine(Root, "samples", "snapshots", id);

    public static string Expected => Path.Combine(Root, "tests", "fixtures", "expected.json");

    public static string RegressionsDirectory => Path.Combine(Root, "tests", "GaugeNN.Ingest.Tests", "regressions");

    /// <summary>Tests may be built outside the repository (<c>--artifacts-path</c>), so the source file's own folder is tried too.</summary>
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in (string[])[AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory()])
            for (var dir = start.Length == 0 ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "GaugeNN.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no GaugeNN.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}

/// <summary>A temporary folder removed after the test; tests write nothing elsewhere.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("gaugenn-ingest-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
