using System.Globalization;

namespace GaugeNN.Measure.Import;

/// <summary>Line splitting, caps and exact number parsing shared by the text importers.</summary>
internal static class LogText
{
    /// <summary>The text's lines (LF, CRLF or CR), after checking the caps.</summary>
    public static string[] Lines(string text, string format, ImportLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > limits.MaxChars)
            throw new BenchmarkLogException(format, 1, $"text of {text.Length} characters exceeds the cap of {limits.MaxChars}");
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        // A final newline ends the last line rather than starting another (and empty text has no line at all).
        if (lines[^1].Length == 0) lines = lines[..^1];
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].Length > limits.MaxLineChars)
                throw new BenchmarkLogException(format, i + 1, $"line of {lines[i].Length} characters exceeds the cap of {limits.MaxLineChars}");
        return lines;
    }

    /// <summary>A number as printed (sign, decimals, exponent), exactly; null when it is not one (nan, empty, 1,5, 0x10).</summary>
    public static decimal? Number(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty || !(char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')) return null;
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    public static decimal RequireNumber(ReadOnlySpan<char> text, string format, int line, string what)
    {
        if (Number(text) is { } value) return value;
        throw new BenchmarkLogException(format, line, text.Trim().IsEmpty ? $"{what} is missing" : $"{what} '{text.Trim()}' is not a number");
    }

    public static decimal RequireNonNegative(ReadOnlySpan<char> text, string format, int line, string what)
    {
        var value = RequireNumber(text, format, line, what);
        if (value < 0) throw new BenchmarkLogException(format, line, $"{what} {value} is negative");
        return value;
    }

    public static int RequireCount(ReadOnlySpan<char> text, string format, int line, string what)
    {
        var value = RequireNonNegative(text, format, line, what);
        if (value != decimal.Truncate(value) || value > int.MaxValue)
            throw new BenchmarkLogException(format, line, $"{what} {value} is not a whole count");
        return (int)value;
    }

    /// <summary>Microseconds as printed → milliseconds, in decimal so no digit is lost or invented.</summary>
    public static decimal UsToMs(decimal us) => us / 1000m;

    /// <summary>
    /// Whether <paramref name="printed"/> is <paramref name="exact"/> printed with C++'s default six significant
    /// digits (or better): the tools print the same average twice, once as an integer and once through an ostream.
    /// </summary>
    public static bool AgreesToSixDigits(decimal printed, decimal exact)
    {
        if (printed == exact) return true;
        var magnitude = Math.Abs(exact);
        if (magnitude == 0) return false;
        int exponent = (int)Math.Floor(Math.Log10((double)magnitude));
        decimal halfUlp = 0.5m * Pow10(exponent - 5);
        return Math.Abs(printed - exact) <= halfUlp * 1.0000001m;
    }

    private static decimal Pow10(int exponent)
    {
        decimal result = 1m;
        for (int i = 0; i < Math.Abs(exponent); i++) result = exponent > 0 ? result * 10m : result / 10m;
        return result;
    }

    /// <summary>The file name of a path as a tool printed it (device paths use '/', Windows hosts '\').</summary>
    public static string FileName(string path)
    {
        var trimmed = path.Trim().Trim('"', '\'');
        int cut = trimmed.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? trimmed : trimmed[(cut + 1)..];
    }
}
