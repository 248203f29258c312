// Format: shared corpus README, "Listings": one JSON object per line, `apk` a file name or a list of them.
using System.Text.Json;

namespace GaugeNN.Ingest.Listing;

public sealed record ListingEntry(
    string Package, string? Title, string? Category, string? Installs, double? Rating, int? Rank, DateOnly? CrawledAt,
    IReadOnlyList<string> Files);

public static class ListingReader
{
    public const string FileName = "listing.jsonl";

    /// <summary>
    /// Streams the listing, one result per non-blank line: the entry, or the error that line has (with its line
    /// number); a bad line never stops the rest. Streaming keeps memory flat however many apps a snapshot lists.
    /// </summary>
    public static IEnumerable<(ListingEntry? Entry, string? Error)> ReadLines(string path)
    {
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            ListingEntry? entry = null;
            string? error = null;
            try
            {
                entry = Parse(line);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                error = $"{FileName} line {lineNumber}: {e.Message}";
            }
            yield return (entry, error);
        }
    }

    /// <summary>Longest package name taken (Android's own limit is far below).</summary>
    public const int MaxPackageLength = 255;

    private static ListingEntry Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new FormatException($"a listing line must be a JSON object, not {o.ValueKind}");
        if (!o.TryGetProperty("package", out var p) || p.ValueKind != JsonValueKind.String)
            throw new FormatException("'package' must be a string");
        string package = p.GetString()!;
        if (!IsPackageName(package))
            throw new FormatException($"'package' {Quoted(package)} is not a package name (letters, digits, '_' and '.', at most {MaxPackageLength})");
        var files = new List<string>();
        if (o.TryGetProperty("apk", out var apk))
        {
            var names = apk.ValueKind switch
            {
                JsonValueKind.Array => apk.EnumerateArray().ToList(),
                JsonValueKind.String => [apk],
                JsonValueKind.Null => [],
                _ => throw new FormatException($"'apk' must be a file name or a list of them, not {apk.ValueKind}"),
            };
            foreach (var name in names)
            {
                if (name.ValueKind != JsonValueKind.String) throw new FormatException($"'apk' lists a {name.ValueKind}, not a file name");
                string f = name.GetString()!;
                if (f.Length == 0 || f.Contains('/') || f.Contains('\\') || f.Any(char.IsControl) || f is "." or "..")
                    throw new FormatException($"apk file name {Quoted(f)} is not a plain file name");
                files.Add(f);
            }
        }
        return new ListingEntry(
            package,
            Str(o, "title"),
            Str(o, "category"),
            Str(o, "installs"),
            // A number beyond double's range parses as infinity, which no event can carry (JSON has no infinity).
            Number(o, "rating", e => double.IsFinite(e.GetDouble()) ? e.GetDouble() : throw new FormatException("'rating' is out of range")),
            Number(o, "rank", e => e.TryGetInt32(out int rank) ? rank : throw new FormatException("'rank' must be a whole number")),
            Str(o, "crawledAt") is { } d
                ? DateOnly.TryParseExact(d, "yyyy-MM-dd", out var date) ? date : throw new FormatException($"'crawledAt' {Quoted(d)} is not YYYY-MM-DD")
                : null,
            files);
    }

    public static bool IsPackageName(string package) =>
        package.Length is > 0 and <= MaxPackageLength && package.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    private static T? Number<T>(JsonElement o, string name, Func<JsonElement, T> read) where T : struct =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? read(v) : null;

    private static string Quoted(string text) => JsonSerializer.Serialize(text.Length > 80 ? text[..80] + "…" : text);

    /// <summary>A string field; one holding U+0000 makes the line bad (PostgreSQL's jsonb cannot store it).</summary>
    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() is { } text && text.Contains('\0') ? throw new FormatException($"'{name}' contains a NUL character") : v.GetString()
            : null;
}
