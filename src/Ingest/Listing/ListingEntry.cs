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
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                error = $"{FileName} line {lineNumber}: {e.Message}";
            }
            yield return (entry, error);
        }
    }

    private static ListingEntry Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var o = doc.RootElement;
        string package = o.GetProperty("package").GetString() ?? throw new FormatException("package is null");
        var files = new List<string>();
        if (o.TryGetProperty("apk", out var apk))
        {
            if (apk.ValueKind == JsonValueKind.Array) files.AddRange(apk.EnumerateArray().Select(f => f.GetString()!));
            else if (apk.ValueKind == JsonValueKind.String) files.Add(apk.GetString()!);
        }
        foreach (var f in files)
            if (f.Length == 0 || f.Contains('/') || f.Contains('\\') || f.Contains('\0') || f is "." or "..")
                throw new FormatException($"apk file name '{f}' is not a plain file name");
        return new ListingEntry(
            package,
            Str(o, "title"),
            Str(o, "category"),
            Str(o, "installs"),
            o.TryGetProperty("rating", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null,
            o.TryGetProperty("rank", out var k) && k.ValueKind == JsonValueKind.Number ? k.GetInt32() : null,
            Str(o, "crawledAt") is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd") : null,
            files);
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
