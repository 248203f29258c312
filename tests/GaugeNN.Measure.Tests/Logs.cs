using GaugeNN.Measure.Import;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Measure.Tests;

/// <summary>The real-shaped tool outputs of tests/fixtures/benchmark-logs and helpers to break them.</summary>
internal static class Logs
{
    public static string Path(string name) => System.IO.Path.Combine(RepositoryRoot.Fixture("benchmark-logs"), name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>The text with line <paramref name="line"/> (1-based) replaced.</summary>
    public static string ReplaceLine(string text, int line, string replacement)
    {
        var lines = text.Split('\n');
        lines[line - 1] = replacement;
        return string.Join('\n', lines);
    }

    public static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    public static int LineOf(string text, string fragment)
    {
        var lines = text.Split('\n');
        int index = Array.FindIndex(lines, l => l.Contains(fragment, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{fragment}' is not in the text");
        return index + 1;
    }

    public static BenchmarkLogException Refused(Action parse, int line, string problemFragment)
    {
        var e = Assert.Throws<BenchmarkLogException>(parse);
        Assert.True(e.Line == line, $"refused at line {e.Line}, expected {line}: {e.Message}");
        Assert.Contains(problemFragment, e.Problem, StringComparison.OrdinalIgnoreCase);
        return e;
    }
}
