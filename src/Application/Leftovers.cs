namespace GaugeNN.Application;

/// <summary>
/// What writers in the data folder build under a temporary name — <c>FINAL.&lt;pid&gt;.&lt;guid&gt;.tmp</c>, a file
/// (a model blob) or a folder (an installed runner) — and rename into place when whole. A writer killed midway leaves
/// its temporary behind; this removes those whose process is gone and keeps a live writer's.
/// </summary>
public static class Leftovers
{
    private const string Suffix = ".tmp";

    /// <summary>A temporary name for <paramref name="final"/> owned by this process.</summary>
    public static string TemporaryFor(string final) => $"{final}.{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix}";

    /// <summary>Removes the dead writers' temporaries under <paramref name="root"/>; returns how many.</summary>
    public static int Remove(string root, SearchOption search)
    {
        if (!Directory.Exists(root)) return 0;
        int removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*" + Suffix, search).ToList())
        {
            var parts = Path.GetFileName(entry).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[^3], out int pid) && IsAlive(pid)) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
            removed++;
        }
        return removed;
    }

    private static bool IsAlive(int pid) => pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}");
}
