namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>
/// Every file and folder under a root (size and modification time of files), leaving out the folders a command may
/// write: taken before and after, any difference is a write outside them.
/// </summary>
public sealed class FileTree
{
    private readonly SortedDictionary<string, string> _entries = new(StringComparer.Ordinal);

    private FileTree()
    {
    }

    public static FileTree Of(string root, params string[] allowed)
    {
        var tree = new FileTree();
        var skip = allowed.Select(a => Path.TrimEndingDirectorySeparator(Path.GetFullPath(a))).ToHashSet();
        void Walk(string folder)
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                if (skip.Contains(entry.FullName)) continue;
                string relative = Path.GetRelativePath(root, entry.FullName);
                if (entry is DirectoryInfo dir && !dir.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    tree._entries[relative + "/"] = "";
                    Walk(dir.FullName);
                }
                else if (entry is FileInfo file)
                    tree._entries[relative] = $"{file.Length} bytes, modified {file.LastWriteTimeUtc:O}";
                else
                    tree._entries[relative] = "link";
            }
        }
        Walk(root);
        return tree;
    }

    /// <summary>What changed from <paramref name="before"/> to this tree, one line each (empty when nothing).</summary>
    public IReadOnlyList<string> ChangesSince(FileTree before) =>
        before._entries.Keys.Union(_entries.Keys).Order(StringComparer.Ordinal)
            .Where(k => before._entries.GetValueOrDefault(k) != _entries.GetValueOrDefault(k))
            .Select(k => (before._entries.TryGetValue(k, out var was), _entries.TryGetValue(k, out var now)) switch
            {
                (false, _) => $"created {k} ({now})",
                (_, false) => $"deleted {k} ({was})",
                _ => $"changed {k}: {was} -> {now}",
            })
            .ToList();
}
