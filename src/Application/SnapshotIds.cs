using GaugeNN.Events;
using System.Text.RegularExpressions;

namespace GaugeNN.Application;

/// <summary>A snapshot id or capture date that cannot be used; the message says what to give instead.</summary>
public sealed class InvalidSnapshotException(string message) : Exception(message);

/// <summary>
/// Snapshot ids are checked at the door: they become stream keys, hive partition folders and file names, so only a
/// safe charset is taken. A snapshot lives in time: its id is a date (<c>YYYY-MM</c> or <c>YYYY-MM-DD</c>) or it comes
/// with an explicit capture date; churn pairs and series follow capture dates, never string order.
/// </summary>
public static partial class SnapshotIds
{
    public const int MaxLength = 64;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeId();

    /// <summary>The capture date of a new snapshot: <paramref name="capturedAt"/> when given, else the id's date.</summary>
    public static DateOnly CaptureDate(string id, DateOnly? capturedAt)
    {
        Validate(id);
        return capturedAt ?? SnapshotOpened.DateNamedBy(id) ?? throw new InvalidSnapshotException(
            $"snapshot id '{id}' is not a date (YYYY-MM or YYYY-MM-DD): give its capture date with --captured-at YYYY-MM-DD");
    }

    public static void Validate(string id)
    {
        if (id.Length is 0 or > MaxLength || !SafeId().IsMatch(id) || id.Contains(".."))
            throw new InvalidSnapshotException(
                $"snapshot id '{Printable(id)}' is not allowed: use 1–{MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. 2021-04)");
    }

    private static string Printable(string text) =>
        new(text.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
