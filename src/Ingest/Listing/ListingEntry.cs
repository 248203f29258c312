// Format: shared corpus README, "Listings": one JSON object per line, `apk` a file name or a list of them.
using System.Text.Json;

namespace GaugeNN.Ingest.Listing;

public sealed record ListingEntry(
    string Package, string? Title, string? Category, string? Installs, double? Rating, int? Rank, DateOnly? CrawledAt,
    IReadOnlyList<string> Files);

public static class ListingReader
{
    public const string FileName = "listing.jsonl";

    /// <summary>Reads every line; a bad line is returned as an error with its line number, the rest still count.</summary>
    public static (List<ListingEntry> Entries, List<string> Errors) Read(string path)
    {
        var entries = new List<ListingEntry>();
        var errors = new List<string>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                entries.Add(Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                errors.Add($"{FileName} line {lineNumber}: {e.Message}");
            }
        }
        return (entries, errors);
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
