namespace GaugeNN.Measure;

/// <summary>The programs Measure starts (adb, node, npm), found the way a shell finds them.</summary>
internal static class Executables
{
    /// <summary>The first executable file named <paramref name="name"/> on PATH, or null when none is installed.</summary>
    public static string? OnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? name + ".exe" : name);
            if (OperatingSystem.IsWindows() ? File.Exists(candidate) : File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }
}
