namespace GaugeNN.Warehouse.Files;

/// <summary>A path built from data (a snapshot id, a table name, a sha256) would have left its root folder.</summary>
public sealed class UnsafePathException(string message) : Exception(message);

/// <summary>
/// The one way every writer builds a path from data: each segment must be a plain name (no separator, no NUL, not
/// <c>.</c>/<c>..</c>, not empty), and the result must stay under the root. Anything else is refused, never cleaned up.
/// </summary>
public static class SafePath
{
    public static string Under(string root, params string[] segments)
    {
        foreach (var segment in segments)
            if (!IsPlainName(segment))
                throw new UnsafePathException($"'{Printable(segment)}' is not a plain file name (it must not be empty, '.', '..', or contain '/', '\\' or control characters)");
        string rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string full = Path.GetFullPath(Path.Combine([rootFull, .. segments]));
        if (!full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UnsafePathException($"'{Printable(string.Join('/', segments))}' would leave {rootFull}");
        return full;
    }

    public static bool IsPlainName(string segment) =>
        segment.Length > 0 && segment is not ("." or "..") && !segment.Any(c => c is '/' or '\\' || char.IsControl(c));

    private static string Printable(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
