// ncnn `benchncnn` output as Tencent/ncnn benchmark/benchncnn.cpp prints it to stderr: the `key = value` header
// (loop_count, num_threads, powersave, gpu_device, cooling_down), Vulkan device lines `[i name]  …`, then one
// `%20s  min = %7.2f  max = %7.2f  avg = %7.2f` line per model, in milliseconds.
using System.Globalization;
using System.Text.RegularExpressions;

namespace GaugeNN.Measure.Import;

/// <summary>
/// Reads every model line of a <c>benchncnn</c> run into one run each, named by the line. A file may hold several
/// runs one after another (a header again starts a new one). Lines that are neither header, device nor model lines
/// (shell prompts) are passed over; a model line before any header, a header value that is not a number, a unit
/// after a time, or min ≤ avg ≤ max broken refuse the file.
/// </summary>
public static partial class BenchncnnLog
{
    public const string Format = "ncnn benchncnn output";

    private static readonly string[] RequiredHeader = ["loop_count", "num_threads", "powersave", "gpu_device"];

    [GeneratedRegex(@"^([a-z_]+) = (.*)$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^\[(\d+) (.+?)\]\s+\S+=")]
    private static partial Regex DeviceLine();

    [GeneratedRegex(@"^(\S+)\s+min =\s*(.*?)\s+max =\s*(.*?)\s+avg =\s*(.*?)(?:\s+std =\s*(.*?))?$")]
    private static partial Regex ModelLine();

    public static IReadOnlyList<ImportedRun> Parse(string text, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        var lines = LogText.Lines(text, Format, limits);
        var header = new Dictionary<string, (int Line, decimal Value)>(StringComparer.Ordinal);
        var gpus = new Dictionary<int, string>();
        var runs = new List<ImportedRun>();
        bool modelsSinceHeader = false;
        for (int i = 0; i < lines.Length; i++)
        {
            int n = i + 1;
            var body = lines[i].Trim();
            if (body.Length == 0) continue;
            Match m;
            if ((m = HeaderLine().Match(body)).Success)
            {
                if (modelsSinceHeader) { header.Clear(); modelsSinceHeader = false; }
                var key = m.Groups[1].Value;
                var value = LogText.RequireNumber(m.Groups[2].Value, Format, n, key);
                if (!header.TryAdd(key, (n, value))) throw new BenchmarkLogException(Format, n, $"header value '{key}' twice in one run");
                continue;
            }
            if ((m = DeviceLine().Match(body)).Success)
            {
                gpus[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = m.Groups[2].Value.Trim();
                continue;
            }
            if (!body.Contains(" min =", StringComparison.Ordinal)) continue;
            m = ModelLine().Match(body);
            if (!m.Success) throw new BenchmarkLogException(Format, n, $"unreadable model line '{body}'");
            foreach (var key in RequiredHeader)
                if (!header.ContainsKey(key))
                    throw new BenchmarkLogException(Format, n, $"a model line before the header value '{key}' (truncated or reordered)");
            if (runs.Count >= limits.MaxRuns) throw new BenchmarkLogException(Format, n, $"more than {limits.MaxRuns} model lines");
            runs.Add(Run(n, m, header, gpus));
            modelsSinceHeader = true;
        }
        if (runs.Count == 0) throw new BenchmarkLogException(Format, lines.Length + 1, "no model line: not a benchncnn output, or truncated");
        if (!modelsSinceHeader) throw new BenchmarkLogException(Format, lines.Length + 1, "a header without model lines at the end (truncated)");
        return runs;
    }

    private static ImportedRun Run(int n, Match m, Dictionary<string, (int Line, decimal Value)> header, Dictionary<int, string> gpus)
    {
        var min = Ms(m.Groups[2].Value, n, "min");
        var max = Ms(m.Groups[3].Value, n, "max");
        var avg = Ms(m.Groups[4].Value, n, "avg");
        decimal? std = m.Groups[5].Success ? Ms(m.Groups[5].Value, n, "std") : null;
        if (min > avg || avg > max) throw new BenchmarkLogException(Format, n, $"min {min}, avg {avg} and max {max} are out of order");

        int loops = Count(header, "loop_count");
        int threads = Count(header, "num_threads");
        int gpu = (int)header["gpu_device"].Value;
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, (_, value)) in header) conditions[key] = value.ToString(CultureInfo.InvariantCulture);
        if (gpu >= 0 && gpus.TryGetValue(gpu, out var gpuName)) conditions["gpuName"] = gpuName;
        var name = m.Groups[1].Value;
        return new ImportedRun
        {
            Tool = "benchncnn",
            Runtime = "ncnn",
            Backend = gpu < 0 ? "cpu" : "vulkan",
            Line = n,
            GraphName = LogText.FileName(name),
            GraphPath = name,
            Threads = threads,
            TimedRuns = loops,
            MinMs = min,
            MaxMs = max,
            MeanMs = avg,
            StdMs = std,
            Conditions = conditions,
        };
    }

    private static int Count(Dictionary<string, (int Line, decimal Value)> header, string key)
    {
        var (line, value) = header[key];
        if (value < 0 || value != decimal.Truncate(value)) throw new BenchmarkLogException(Format, line, $"{key} = {value} is not a count");
        return (int)value;
    }

    private static decimal Ms(string text, int n, string what)
    {
        int unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1])) unitStart--;
        if (unitStart < text.Length && LogText.Number(text.AsSpan(0, unitStart)) is not null)
            throw new BenchmarkLogException(Format, n, $"{what} '{text}' carries a unit; benchncnn prints bare milliseconds (units changed)");
        return LogText.RequireNonNegative(text, Format, n, what);
    }
}
