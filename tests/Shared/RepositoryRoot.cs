using System.Runtime.CompilerServices;

namespace GaugeNN.Tests.Shared;

/// <summary>
/// The repository (the folder holding GaugeNN.sln), found from the test binaries or, when they were built elsewhere
/// (<c>--artifacts-path</c>), from this source file. Compiled into every test project.
/// </summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Snapshot(string id) => System.IO.Path.Combine(Path, "samples", "snapshots", id);

    public static string Fixture(string name) => System.IO.Path.Combine(Path, "tests", "fixtures", name);

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in (string[])[AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? ""])
            for (var dir = start.Length == 0 ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "GaugeNN.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no GaugeNN.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
