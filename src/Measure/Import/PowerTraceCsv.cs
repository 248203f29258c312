// Power-monitor traces as CSV, as Monsoon's PowerTool export and its Python API (HVPM sampleEngine) write them —
// a header naming each column with its unit, e.g. `Time(ms),Main(mA),Main Voltage(V)` or `Time (s),Main Avg Power (mW)`
// — and any trace of the same shape (time with current and voltage, or with power; ISO 8601 absolute times allowed).
using System.Globalization;
using System.Text.RegularExpressions;

namespace GaugeNN.Measure.Import;

/// <summary>
/// Which columns to read when the header alone does not say, and the supply voltage for a trace that records
/// current only (a Monsoon set to a fixed voltage).
/// </summary>
public sealed record PowerTraceOptions
{
    public string? TimeColumn { get; init; }
    public string? CurrentColumn { get; init; }
    public string? VoltageColumn { get; init; }
    public string? PowerColumn { get; init; }
    public decimal? SupplyVoltageV { get; init; }
}

/// <summary>
/// A power trace: sample times in seconds and power in milliwatts, with the CSV line of each sample. Times are the
/// time column's own values (time zero is the column's zero) when it is relative, or seconds since the first sample
/// when it holds date-times; then <see cref="AbsoluteStart"/> is that first sample's time.
/// </summary>
public sealed record PowerTrace(
    IReadOnlyList<double> TimesS, IReadOnlyList<double> PowerMw, IReadOnlyList<int> Lines, DateTimeOffset? AbsoluteStart,
    string Columns)
{
    public int Samples => TimesS.Count;

    /// <summary>Mean sampling rate over the whole trace.</summary>
    public double SampleHz => Samples < 2 ? 0 : (Samples - 1) / (TimesS[^1] - TimesS[0]);
}

/// <summary>
/// Reads a power-monitor CSV. Columns are recognised by their unit — time (s, ms, us), current (A, mA, uA), voltage
/// (V, mV), power (W, mW, uW) — written as <c>Name(unit)</c>, <c>Name [unit]</c> or <c>name_unit</c>; a time column
/// of ISO 8601 date-times needs no unit. Power is the power column when there is one, else current × voltage, else
/// current × <see cref="PowerTraceOptions.SupplyVoltageV"/>. Two candidates for one role (e.g. Main and USB current)
/// are ambiguous unless exactly one is the Monsoon <c>Main</c> channel or the options name one; an ambiguous or
/// unit-less header, a row with a missing or non-numeric cell, and time that does not increase are refused.
/// </summary>
public static partial class PowerTraceCsv
{
    public const string Format = "power trace CSV";

    private enum Quantity { Time, Current, Voltage, Power }

    private sealed record Column(int Index, string Name, Quantity Quantity, decimal Scale);

    [GeneratedRegex(@"^(.*?)\s*[\(\[]\s*([^\)\]]+?)\s*[\)\]]\s*$")]
    private static partial Regex BracketedUnit();

    [GeneratedRegex(@"^(.*?)_([A-Za-zµ]+)$")]
    private static partial Regex SuffixUnit();

    public static PowerTrace Parse(string text, PowerTraceOptions? options = null, ImportLimits? limits = null)
    {
        options ??= new PowerTraceOptions();
        limits ??= ImportLimits.Default;
        var lines = LogText.Lines(text, Format, limits);
        int headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0) throw new BenchmarkLogException(Format, 1, "empty trace");
        int headerLine = headerIndex + 1;
        char separator = lines[headerIndex].Contains(',') ? ',' : lines[headerIndex].Contains('\t') ? '\t' : ';';
        var names = Split(lines[headerIndex], separator);

        var firstRow = lines.Skip(headerIndex + 1).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        var firstCells = firstRow is null ? [] : Split(firstRow, separator);
        var time = Pick(names, options.TimeColumn, Quantity.Time, headerLine, firstCells)!; // not optional: Pick throws when there is none
        var power = Pick(names, options.PowerColumn, Quantity.Power, headerLine, firstCells, optional: true);
        Column? current = null, voltage = null;
        if (power is null)
        {
            current = Pick(names, options.CurrentColumn, Quantity.Current, headerLine, firstCells, optional: true)
                ?? throw new BenchmarkLogException(Format, headerLine, $"no power column and no current column in '{lines[headerIndex].Trim()}'");
            voltage = Pick(names, options.VoltageColumn, Quantity.Voltage, headerLine, firstCells, optional: true);
            if (voltage is null && options.SupplyVoltageV is null)
                throw new BenchmarkLogException(Format, headerLine, "current without a voltage column: give the supply voltage");
        }
        bool absolute = time.Scale == 0;

        var times = new List<double>();
        var powers = new List<double>();
        var rowLines = new List<int>();
        DateTimeOffset? start = null;
        decimal previous = decimal.MinValue;
        for (int i = headerIndex + 1; i < lines.Length; i++)
        {
            int n = i + 1;
            if (lines[i].Trim().Length == 0) continue;
            var cells = Split(lines[i], separator);
            if (cells.Length != names.Length)
                throw new BenchmarkLogException(Format, n, $"{cells.Length} cells under a header of {names.Length} columns (truncated?)");
            decimal t;
            if (absolute)
            {
                if (!DateTimeOffset.TryParse(cells[time.Index], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    throw new BenchmarkLogException(Format, n, $"time '{cells[time.Index]}' is not a date-time");
                start ??= at;
                t = (decimal)(at - start.Value).Ticks / TimeSpan.TicksPerSecond;
            }
            else t = LogText.RequireNumber(cells[time.Index], Format, n, time.Name) * time.Scale;
            if (t <= previous) throw new BenchmarkLogException(Format, n, $"time {cells[time.Index]} does not increase (previous sample is later or equal)");
            previous = t;

            decimal mw = power is not null
                ? LogText.RequireNumber(cells[power.Index], Format, n, power.Name) * power.Scale
                : LogText.RequireNumber(cells[current!.Index], Format, n, current.Name) * current.Scale
                  * (voltage is not null ? LogText.RequireNumber(cells[voltage.Index], Format, n, voltage.Name) * voltage.Scale : options.SupplyVoltageV!.Value);
            times.Add((double)t);
            powers.Add((double)mw);
            rowLines.Add(n);
        }
        if (times.Count < 2) throw new BenchmarkLogException(Format, lines.Length + 1, $"{times.Count} samples: a trace needs at least two");
        var used = power is not null ? $"{time.Name}, {power.Name}"
            : voltage is not null ? $"{time.Name}, {current!.Name} × {voltage.Name}"
            : $"{time.Name}, {current!.Name} × {options.SupplyVoltageV!.Value.ToString(CultureInfo.InvariantCulture)} V";
        return new PowerTrace(times, powers, rowLines, start, used);
    }

    private static string[] Split(string line, char separator) =>
        line.Split(separator).Select(c => c.Trim().Trim('"')).ToArray();

    /// <summary>The column for a role: named in the options, else the one with that unit (Monsoon's Main preferred).</summary>
    private static Column? Pick(string[] names, string? chosen, Quantity quantity, int line, string[] firstCells, bool optional = false)
    {
        var columns = names.Select((name, i) => Classify(name, i, line, firstCells)).Where(c => c is not null && c.Quantity == quantity).Select(c => c!).ToList();
        if (chosen is not null)
            return columns.SingleOrDefault(c => string.Equals(c.Name, chosen, StringComparison.OrdinalIgnoreCase))
                ?? throw new BenchmarkLogException(Format, line, $"no {quantity.ToString().ToLowerInvariant()} column named '{chosen}' with a known unit");
        if (columns.Count > 1)
        {
            var main = columns.Where(c => c.Name.Contains("main", StringComparison.OrdinalIgnoreCase)).ToList();
            if (main.Count == 1) return main[0];
            throw new BenchmarkLogException(Format, line,
                $"ambiguous {quantity.ToString().ToLowerInvariant()} columns: {string.Join(", ", columns.Select(c => $"'{c.Name}'"))}; name one");
        }
        if (columns.Count == 0 && !optional)
            throw new BenchmarkLogException(Format, line, $"no {quantity.ToString().ToLowerInvariant()} column with a unit (e.g. 'Time(ms)')");
        return columns.SingleOrDefault();
    }

    private static Column? Classify(string name, int index, int line, string[] firstCells)
    {
        var m = BracketedUnit().Match(name);
        if (!m.Success) m = SuffixUnit().Match(name);
        if (m.Success && Unit(m.Groups[2].Value) is { } unit) return new Column(index, name, unit.Quantity, unit.Scale);
        bool timeLike = name.Contains("time", StringComparison.OrdinalIgnoreCase);
        if (timeLike && index < firstCells.Length && firstCells[index].Contains('-') && firstCells[index].Contains(':'))
            return new Column(index, name, Quantity.Time, 0); // date-times: absolute
        if (timeLike) throw new BenchmarkLogException(Format, line, $"time column '{name}' has no unit (s, ms or us)");
        if (m.Success && m.Groups[2].Value.Trim().Length > 0 && LooksElectrical(m.Groups[2].Value))
            throw new BenchmarkLogException(Format, line, $"column '{name}' has an unknown unit '{m.Groups[2].Value}'");
        return null;
    }

    private static bool LooksElectrical(string unit) => unit.EndsWith('A') || unit.EndsWith('V') || unit.EndsWith('W') || unit.EndsWith('s');

    /// <summary>A unit → its quantity and the factor to seconds, milliwatts, milliamperes or volts.</summary>
    private static (Quantity Quantity, decimal Scale)? Unit(string unit) => unit.Trim() switch
    {
        "s" or "sec" => (Quantity.Time, 1m),
        "ms" => (Quantity.Time, 0.001m),
        "us" or "µs" => (Quantity.Time, 0.000001m),
        "A" => (Quantity.Current, 1000m),
        "mA" => (Quantity.Current, 1m),
        "uA" or "µA" => (Quantity.Current, 0.001m),
        "V" => (Quantity.Voltage, 1m),
        "mV" => (Quantity.Voltage, 0.001m),
        "W" => (Quantity.Power, 1000m),
        "mW" => (Quantity.Power, 1m),
        "uW" or "µW" => (Quantity.Power, 0.001m),
        _ => null,
    };
}
