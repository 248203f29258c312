// MNN `benchmark.out` output as alibaba/MNN benchmark/benchmark.cpp prints it: `MNN benchmark`, `Forward type: **CPU**
// thread=4** precision=2…`, `--------> Benchmarking... loop = 10, warmup = 10`, then per model
// `[ - ] MobileNetV2_224.mnn    max =   12.345 ms  min =   11.002 ms  avg =   11.500 ms` (older builds: `12.345ms`).
using System.Text.RegularExpressions;

namespace GaugeNN.Measure.Import;

/// <summary>
/// Reads every <c>[ - ]</c> line of an MNN <c>benchmark.out</c> run into one run each, with the forward type,
/// threads, precision, loop and warm-up counts of the header lines before it. A result line before its header, a
/// time that is not in ms or not a number, or min ≤ avg ≤ max broken refuse the file.
/// </summary>
public static partial class MnnBenchmarkLog
{
    public const string Format = "MNN benchmark.out output";

    [GeneratedRegex(@"^Forward type: \*\*(.+?)\*\*(.*)$")]
    private static partial Regex ForwardLine();

    [GeneratedRegex(@"^-+> Benchmarking\.\.\. loop = (\S+?)(?:, warmup = (\S+))?$")]
    private static partial Regex LoopLine();

    [GeneratedRegex(@"^\[ - \] (\S+)\s+max =\s*(.*?)\s+min =\s*(.*?)\s+avg =\s*(.*?)$")]
    private static partial Regex ResultLine();

    public static IReadOnlyList<ImportedRun> Parse(string text, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        var lines = LogText.Lines(text, Format, limits);
        var runs = new List<ImportedRun>();
        string? forward = null;
        Dictionary<string, string> options = new(StringComparer.Ordinal);
        int? loops = null, warmups = null;
        for (int i = 0; i < lines.Length; i++)
        {
            int n = i + 1;
            var body = lines[i].Trim();
            Match m;
            if ((m = ForwardLine().Match(body)).Success)
            {
                forward = m.Groups[1].Value.Trim();
                options = Options(m.Groups[2].Value, n);
                loops = warmups = null;
                continue;
            }
            if ((m = LoopLine().Match(body)).Success)
            {
                if (forward is null) throw new BenchmarkLogException(Format, n, "the loop line comes before 'Forward type' (truncated or reordered)");
                loops = LogText.RequireCount(m.Groups[1].Value, Format, n, "loop");
                warmups = m.Groups[2].Success ? LogText.RequireCount(m.Groups[2].Value, Format, n, "warmup") : null;
                continue;
            }
            if (!body.StartsWith("[ - ]", StringComparison.Ordinal)) continue;
            m = ResultLine().Match(body);
            if (!m.Success) throw new BenchmarkLogException(Format, n, $"unreadable result line '{body}'");
            if (forward is null || loops is null)
                throw new BenchmarkLogException(Format, n, "a result line before its 'Forward type' and 'Benchmarking... loop' lines (truncated or reordered)");
            var max = Ms(m.Groups[2].Value, n, "max");
            var min = Ms(m.Groups[3].Value, n, "min");
            var avg = Ms(m.Groups[4].Value, n, "avg");
            if (min > avg || avg > max) throw new BenchmarkLogException(Format, n, $"min {min}, avg {avg} and max {max} are out of order");
            if (runs.Count >= limits.MaxRuns) throw new BenchmarkLogException(Format, n, $"more than {limits.MaxRuns} result lines");
            var conditions = new Dictionary<string, string>(options, StringComparer.Ordinal) { ["forwardType"] = forward };
            var name = m.Groups[1].Value;
            runs.Add(new ImportedRun
            {
                Tool = "benchmark.out",
                Runtime = "mnn",
                Backend = Backend(forward),
                Line = n,
                GraphName = LogText.FileName(name),
                GraphPath = name,
                Threads = options.TryGetValue("thread", out var t) ? LogText.RequireCount(t, Format, n, "thread") : null,
                WarmupRuns = warmups,
                TimedRuns = loops,
                MinMs = min,
                MaxMs = max,
                MeanMs = avg,
                Conditions = conditions,
            });
        }
        if (runs.Count == 0) throw new BenchmarkLogException(Format, lines.Length + 1, "no result line: not a benchmark.out output, or truncated");
        return runs;
    }

    /// <summary>The <c>key=value**</c> options after the forward type (thread, precision, sparsity, …).</summary>
    private static Dictionary<string, string> Options(string rest, int n)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in rest.Split("**", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new BenchmarkLogException(Format, n, $"'{part}' is not a key=value option");
            var value = part[(eq + 1)..].Trim();
            LogText.RequireNumber(value, Format, n, part[..eq]);
            options[part[..eq].Trim()] = value;
        }
        return options;
    }

    private static string Backend(string forward) => forward.ToLowerInvariant() switch
    {
        "cpu" => "cpu",
        "metal" => "metal",
        "opencl" => "opencl",
        "opengl" => "opengl",
        "vulkan" => "vulkan",
        "nn" => "coreml",
        var other => other.Replace(' ', '-'),
    };

    private static decimal Ms(string text, int n, string what)
    {
        int unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1])) unitStart--;
        var unit = text[unitStart..];
        if (unit != "ms") throw new BenchmarkLogException(Format, n, $"{what} '{text}' is not in ms (units changed?)");
        return LogText.RequireNonNegative(text.AsSpan(0, unitStart), Format, n, what);
    }
}
