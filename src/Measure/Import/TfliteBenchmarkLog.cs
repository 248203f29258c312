// TensorFlow Lite `benchmark_model` output as tensorflow/lite/tools/benchmark/benchmark_model.cc,
// benchmark_tflite_model.cc and tsl/util/stats_calculator.{h,cc} print it, every variant listed in
// shared/design/benchmark-outputs.md (INFO:/logcat prefixes, old and new summaries, delegates, memory, op profiling).
using System.Globalization;
using System.Text.RegularExpressions;
using GaugeNN.Events;

namespace GaugeNN.Measure.Import;

/// <summary>
/// Reads one <c>benchmark_model</c> run from its log: the warm-up and timed loops, the summary, memory, delegate
/// lines and the op-profiling run-order table. Lines the tool did not write for the benchmark (logcat noise, shell
/// prompts, other tags) are passed over; a line the tool did write that does not read exactly as it prints it, a
/// section out of order, a unit that changed, or two figures that contradict each other refuse the whole log.
/// </summary>
public static partial class TfliteBenchmarkLog
{
    public const string Format = "tflite benchmark_model log";

    public static ImportedRun Parse(string text, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        var parser = new Parser(limits);
        var lines = LogText.Lines(text, Format, limits);
        for (int i = 0; i < lines.Length; i++) parser.Read(i + 1, Strip(lines[i]));
        return parser.Finish(lines.Length + 1);
    }

    /// <summary>The text the tool printed, without the logger's or logcat's prefix (leading tabs of table rows kept).</summary>
    internal static string Strip(string raw)
    {
        var line = raw.TrimEnd();
        var logcat = LogcatPrefix().Match(line);
        if (logcat.Success) line = line[logcat.Length..];
        var level = LevelPrefix().Match(line);
        return level.Success ? line[level.Length..] : line;
    }

    [GeneratedRegex(@"^(?:\d\d-\d\d\s+\d\d:\d\d:\d\d\.\d+\s+\d+\s+\d+\s+[VDIWEF]\s+tflite\s*: ?|[VDIWEF]/tflite\s*\(\s*\d+\)\s*: ?|[VDIWEF]\s+tflite\s*: ?)")]
    private static partial Regex LogcatPrefix();

    [GeneratedRegex(@"^(?:INFO|WARN|WARNING|ERROR|VERBOSE|DEBUG): ?")]
    private static partial Regex LevelPrefix();

    [GeneratedRegex(@"^Running benchmark for (?:at least )?(\S+) iterations?\b")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"^(?:Average )?[Ii]nference timings in (\S+?):\s*(.*)$")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^Initialized session in (\S*?)(ms|us|s|)\.?$")]
    private static partial Regex InitLine();

    [GeneratedRegex(@"^The input model file size \((\w+)\): (.*)$")]
    private static partial Regex ModelSizeLine();

    [GeneratedRegex(@"^(Memory footprint delta from the start of the tool|Peak memory footprint) \((\w+)\): init=(\S*) overall=(\S*)$")]
    private static partial Regex FootprintLine();

    [GeneratedRegex(@"^Overall peak memory footprint \((\w+)\) via periodic monitoring: (.*)$")]
    private static partial Regex PeakLine();

    [GeneratedRegex(@"^Memory status at the end of exe(?:c)?ution:$")]
    private static partial Regex MemoryStatusLine();

    [GeneratedRegex(@"^([-+]) (.+?)\s*: (\S*) (\w+)$")]
    private static partial Regex MemoryStatusEntry();

    [GeneratedRegex(@"^(?:Explicitly )?[Aa]pplied (.+?) delegate, and the model graph will be (completely|partially) executed (?:by|w/) the delegate(?: w/ (\S+) delegate kernels)?\.?$")]
    private static partial Regex AppliedLine();

    [GeneratedRegex(@"^Though (.+?) delegate is explicitly applied, the model graph will not be executed by the delegate\.?$")]
    private static partial Regex NotAppliedLine();

    [GeneratedRegex(@"^Replacing (\S+)(?: out of (\S+))? node\(s\) with delegate \(([^)]*)\) node, yielding (\S+) partitions?\b")]
    private static partial Regex ReplacingLine();

    [GeneratedRegex(@"^([A-Za-z#][^:\[\]]{0,79}): \[(.*)\]$")]
    private static partial Regex ParamLine();

    [GeneratedRegex(@"^Loaded model (.+)$")]
    private static partial Regex LoadedLine();

    [GeneratedRegex(@"--graph=(""[^""]*""|'[^']*'|\S+)")]
    private static partial Regex GraphFlag();

    [GeneratedRegex(@"^=+ (.+?) =+$")]
    private static partial Regex TableTitle();

    [GeneratedRegex(@"^(\S+) nodes observed$")]
    private static partial Regex NodesObserved();

    private enum Section { Regular, Initialization }

    /// <summary>A loop's <c>count=</c> line, expanded: a single or all-equal loop has every figure equal to curr.</summary>
    private sealed record LoopStat(int Line, int Count, decimal? First, decimal? Curr, decimal? Min, decimal? Max,
        decimal? Avg, decimal? Std, decimal? P5, decimal? Median, decimal? P95);

    private sealed record Summary(int Line, decimal? InitUs, decimal? FirstUs, decimal? WarmupAvgUs, decimal? InferenceAvgUs);

    private sealed record DelegateLine(int Line, string Name, string Delegation, int? Kernels);

    private sealed record Replacement(int Line, string Name, int Nodes, int? Total, int Partitions);

    private sealed class Table(string title, Section section, int line)
    {
        public string Title { get; } = title;
        public Section Section { get; } = section;
        public int Line { get; } = line;
        public string[]? Columns { get; set; }
    }

    private sealed class Parser(ImportLimits limits)
    {
        private readonly Dictionary<string, string> conditions = new(StringComparer.Ordinal);
        private readonly List<OperatorTiming> operators = [];
        private readonly List<DelegateLine> delegates = [];
        private readonly List<Replacement> replacements = [];
        private int? runningLine;          // an opened loop waiting for its count= line
        private int loopsOpened;
        private LoopStat? warmup, timed;
        private Summary? summary;
        private (int Line, decimal Ms)? initialized;
        private string? graphEcho, graphFlag, loadedModel;
        private int? threadsUsed, numThreads, flagThreads;
        private int? memoryStatusAt;       // header line of the VmRSS block while it is being read
        private readonly Dictionary<string, decimal> memoryStatus = new(StringComparer.Ordinal);
        private Section section = Section.Regular;
        private Table? table;
        private (int Line, int Rows)? profilingOpen; // a profiling section whose "N nodes observed" has not come yet
        private decimal? peak;

        public void Read(int n, string line)
        {
            if (memoryStatusAt is not null && ReadMemoryStatus(n, line)) return;
            if (table is not null && ReadTable(n, line)) return;
            var body = line.Trim();
            if (body.Length == 0) return;

            if (body.StartsWith("count=", StringComparison.Ordinal)) { ReadLoop(n, body); return; }
            Match m;
            if ((m = RunningLine().Match(body)).Success) { OpenLoop(n, m); return; }
            if ((m = SummaryLine().Match(body)).Success) { ReadSummary(n, m); return; }
            if (body.StartsWith("Initialized session in", StringComparison.Ordinal)) { ReadInit(n, body); return; }
            if ((m = ModelSizeLine().Match(body)).Success)
            {
                RequireUnit(n, m.Groups[1].Value, "MB", "model file size");
                conditions["modelFileMb"] = Invariant(LogText.RequireNonNegative(m.Groups[2].Value, Format, n, "model file size"));
                return;
            }
            if ((m = FootprintLine().Match(body)).Success) { ReadFootprint(n, m); return; }
            if ((m = PeakLine().Match(body)).Success) { ReadPeak(n, m); return; }
            if (MemoryStatusLine().IsMatch(body))
            {
                AfterSummary(n, "the memory status block");
                if (memoryStatus.Count > 0) throw Refuse(n, "a second memory status block");
                memoryStatusAt = n;
                return;
            }
            if ((m = AppliedLine().Match(body)).Success)
            {
                int? kernels = m.Groups[3].Success ? LogText.RequireCount(m.Groups[3].Value, Format, n, "delegate kernel count") : null;
                string delegation = m.Groups[2].Value == "completely" ? "full" : "partial";
                if (delegation == "partial" && kernels == 0) throw Refuse(n, "a partial delegation with 0 delegate kernels");
                delegates.Add(new DelegateLine(n, BackendName(m.Groups[1].Value), delegation, delegation == "full" ? 1 : kernels));
                return;
            }
            if ((m = NotAppliedLine().Match(body)).Success) { delegates.Add(new DelegateLine(n, BackendName(m.Groups[1].Value), "none", 0)); return; }
            if ((m = ReplacingLine().Match(body)).Success) { ReadReplacing(n, m); return; }
            if (body.StartsWith("Profiling Info for Benchmark Initialization", StringComparison.Ordinal)) { OpenProfiling(n, Section.Initialization); return; }
            if (body.StartsWith("Operator-wise Profiling Info for Regular Benchmark Runs", StringComparison.Ordinal)) { OpenProfiling(n, Section.Regular); return; }
            if ((m = TableTitle().Match(body)).Success) { OpenTable(n, m.Groups[1].Value); return; }
            if ((m = NodesObserved().Match(body)).Success) { CloseProfiling(n, LogText.RequireCount(m.Groups[1].Value, Format, n, "nodes observed")); return; }
            if ((m = ParamLine().Match(body)).Success) { ReadParam(n, m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim()); return; }
            if ((m = LoadedLine().Match(body)).Success) { loadedModel ??= m.Groups[1].Value.Trim(); return; }
            if ((m = GraphFlag().Match(body)).Success) ReadFlags(n, body, m.Groups[1].Value.Trim('"', '\''));
        }

        private void OpenLoop(int n, Match m)
        {
            if (runningLine is { } open) throw Refuse(n, $"a benchmark loop starts before the one started on line {open} printed its count= line");
            if (summary is not null) throw Refuse(n, "a benchmark loop after the inference timings summary (two runs in one log?)");
            if (loopsOpened == 2) throw Refuse(n, "a third benchmark loop: a log holds one warm-up and one timed loop");
            LogText.RequireCount(m.Groups[1].Value, Format, n, "iteration count");
            runningLine = n;
            loopsOpened++;
        }

        private void ReadLoop(int n, string body)
        {
            if (runningLine is null)
                throw Refuse(n, warmup is null
                    ? "a count= line without its 'Running benchmark' line (the warm-up loop is missing or the log is reordered)"
                    : "a second count= line for one benchmark loop");
            runningLine = null;
            var stat = ParseStat(n, body);
            if (warmup is null) warmup = stat; else timed = stat;
        }

        private LoopStat ParseStat(int n, string body)
        {
            bool allSame = false;
            int marker = body.IndexOf("(all same)", StringComparison.Ordinal);
            if (marker >= 0)
            {
                allSame = true;
                body = body.Remove(marker, "(all same)".Length);
                if (body.Contains("(all same)", StringComparison.Ordinal)) throw Refuse(n, "'(all same)' twice");
            }
            var fields = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var token in body.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = token.IndexOf('=');
                if (eq <= 0) throw Refuse(n, $"'{token}' is not a key=value field of a count= line");
                var key = token[..eq];
                if (key is not ("count" or "first" or "curr" or "min" or "max" or "avg" or "std" or "p5" or "median" or "p95"))
                    throw Refuse(n, $"unknown field '{key}' in a count= line");
                if (!fields.TryAdd(key, LogText.RequireNonNegative(token.AsSpan(eq + 1), Format, n, key)))
                    throw Refuse(n, $"field '{key}' twice");
            }
            int count = LogText.RequireCount(Invariant(fields["count"]), Format, n, "count");
            bool hasPercentiles = fields.ContainsKey("p5") || fields.ContainsKey("median") || fields.ContainsKey("p95");
            if (hasPercentiles) foreach (var p in (string[])["p5", "median", "p95"]) Require(fields, p, n);
            decimal? P(string key) => hasPercentiles && count > 0 ? fields[key] : null;

            if (count == 0)
            {
                if (allSame || fields.Keys.Any(k => k is not ("count" or "p5" or "median" or "p95")))
                    throw Refuse(n, "count=0 with timings");
                return new LoopStat(n, 0, null, null, null, null, null, null, null, null, null);
            }
            bool full = fields.ContainsKey("first");
            if (!full)
            {
                // One sample, or every sample equal: the tool prints only curr; min, max, avg and first are curr.
                if (fields.Keys.Any(k => k is "min" or "max" or "avg" or "std"))
                    throw Refuse(n, "a count= line with some but not all of first, min, max, avg and std");
                if (allSame != (count > 1))
                    throw Refuse(n, allSame ? "'(all same)' on a single run" : $"count={count} with only curr= and no '(all same)'");
                var curr = Require(fields, "curr", n);
                var stat = new LoopStat(n, count, curr, curr, curr, curr, curr, 0, P("p5"), P("median"), P("p95"));
                CheckOrder(n, stat);
                return stat;
            }
            if (allSame) throw Refuse(n, "'(all same)' on a line with full statistics");
            var full_ = new LoopStat(n, count, Require(fields, "first", n), Require(fields, "curr", n), Require(fields, "min", n),
                Require(fields, "max", n), Require(fields, "avg", n), Require(fields, "std", n), P("p5"), P("median"), P("p95"));
            CheckOrder(n, full_);
            return full_;
        }

        private static void CheckOrder(int n, LoopStat s)
        {
            var (min, max) = (s.Min!.Value, s.Max!.Value);
            if (min > max) throw Refuse(n, $"min={min} is above max={max}");
            foreach (var (name, value) in (ReadOnlySpan<(string, decimal?)>)[("first", s.First), ("curr", s.Curr), ("avg", s.Avg), ("p5", s.P5), ("median", s.Median), ("p95", s.P95)])
                if (value is { } v && (v < min || v > max)) throw Refuse(n, $"{name}={v} lies outside min={min} and max={max}");
            if (s.P5 > s.Median || s.Median > s.P95) throw Refuse(n, $"percentiles out of order: p5={s.P5} median={s.Median} p95={s.P95}");
        }

        private void ReadSummary(int n, Match m)
        {
            RequireUnit(n, m.Groups[1].Value, "us", "inference timings");
            if (summary is not null) throw Refuse(n, $"a second inference timings summary (the first is on line {summary.Line})");
            if (runningLine is { } open) throw Refuse(n, $"the summary comes before the count= line of the loop started on line {open} (truncated or reordered)");
            if (warmup is null) throw Refuse(n, "the summary comes before any benchmark loop (truncated or reordered)");
            if (timed is null) throw Refuse(n, "the summary follows a single benchmark loop: the warm-up or the timed loop is missing");

            var values = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            foreach (var part in m.Groups[2].Value.Split(", "))
            {
                int colon = part.LastIndexOf(": ", StringComparison.Ordinal);
                if (colon <= 0) throw Refuse(n, $"'{part}' is not a 'label: value' pair");
                var label = part[..colon].Trim();
                var key = label switch
                {
                    "Init" => "init",
                    "First inference" => "first",
                    "Warmup (avg)" or "Warmup" => "warmup",
                    "Inference (avg)" or "Inference" or "no stats" => "inference",
                    _ => throw Refuse(n, $"unknown summary label '{label}'"),
                };
                var raw = part[(colon + 2)..].Trim();
                decimal? value = raw is "nan" or "-nan" ? null : LogText.RequireNonNegative(raw, Format, n, label);
                if (!values.TryAdd(key, value)) throw Refuse(n, $"summary label '{label}' twice");
            }
            if (!values.ContainsKey("init")) throw Refuse(n, "the summary has no Init figure");
            if (!values.ContainsKey("inference")) throw Refuse(n, "the summary has no inference average");
            var s = new Summary(n, values["init"], values.GetValueOrDefault("first"), values.GetValueOrDefault("warmup"), values["inference"]);
            Agree(n, "Inference (avg)", s.InferenceAvgUs, timed, timed.Avg);
            if (values.ContainsKey("warmup")) Agree(n, "Warmup (avg)", s.WarmupAvgUs, warmup, warmup.Avg);
            if (values.ContainsKey("first") && warmup.Count > 0 && s.FirstUs != warmup.First)
                throw Refuse(n, $"First inference {s.FirstUs} differs from the warm-up loop's first={warmup.First} on line {warmup.Line}");
            if (s.InitUs is null) throw Refuse(n, "Init is not a number");
            if (initialized is { } init && !LogText.AgreesToSixDigits(init.Ms, LogText.UsToMs(s.InitUs.Value)))
                throw Refuse(n, $"Init {s.InitUs} us contradicts 'Initialized session in {init.Ms}ms' on line {init.Line}");
            summary = s;
        }

        private static void Agree(int n, string label, decimal? printed, LoopStat loop, decimal? loopAvg)
        {
            if (loop.Count == 0)
            {
                if (printed is not null and not 0) throw Refuse(n, $"{label} {printed} for a loop of count=0 on line {loop.Line}");
                return;
            }
            if (printed is null) throw Refuse(n, $"{label} is not a number although line {loop.Line} counted {loop.Count} runs");
            if (!LogText.AgreesToSixDigits(printed.Value, loopAvg!.Value))
                throw Refuse(n, $"{label} {printed} contradicts avg {loopAvg} on line {loop.Line}");
        }

        private void ReadInit(int n, string body)
        {
            var m = InitLine().Match(body);
            if (!m.Success) throw Refuse(n, $"unreadable initialisation line '{body}'");
            RequireUnit(n, m.Groups[2].Value, "ms", "session initialisation time");
            if (loopsOpened > 0) throw Refuse(n, "the session is initialised after a benchmark loop (reordered)");
            if (initialized is not null) throw Refuse(n, "a second 'Initialized session' line");
            initialized = (n, LogText.RequireNonNegative(m.Groups[1].Value, Format, n, "initialisation time"));
        }

        private void ReadFootprint(int n, Match m)
        {
            AfterSummary(n, "the memory footprint");
            RequireUnit(n, m.Groups[2].Value, "MB", "memory footprint");
            if (conditions.ContainsKey("memoryInitMb")) throw Refuse(n, "a second memory footprint line");
            conditions["memoryInitMb"] = Invariant(LogText.RequireNumber(m.Groups[3].Value, Format, n, "init footprint"));
            conditions["memoryOverallMb"] = Invariant(LogText.RequireNumber(m.Groups[4].Value, Format, n, "overall footprint"));
            conditions["memoryFootprint"] = m.Groups[1].Value.StartsWith("Peak", StringComparison.Ordinal) ? "peak rss delta" : "footprint delta";
        }

        private void ReadPeak(int n, Match m)
        {
            AfterSummary(n, "the peak memory footprint");
            RequireUnit(n, m.Groups[1].Value, "MB", "peak memory footprint");
            if (peak is not null) throw Refuse(n, "a second peak memory footprint line");
            peak = LogText.RequireNonNegative(m.Groups[2].Value, Format, n, "peak memory footprint");
        }

        private bool ReadMemoryStatus(int n, string line)
        {
            var m = MemoryStatusEntry().Match(line.Trim());
            if (!m.Success)
            {
                EndMemoryStatus(n);
                return false;
            }
            RequireUnit(n, m.Groups[4].Value, "MB", "memory status");
            var key = m.Groups[2].Value switch
            {
                "VmRSS" => "vmRssMb",
                "RssAnnon" or "RssAnon" => "rssAnonMb",
                "RssFile + RssShmem" => "rssFileShmemMb",
                var other => throw Refuse(n, $"unknown memory status entry '{other}'"),
            };
            if (!memoryStatus.TryAdd(key, LogText.RequireNonNegative(m.Groups[3].Value, Format, n, m.Groups[2].Value)))
                throw Refuse(n, $"memory status entry '{m.Groups[2].Value}' twice");
            return true;
        }

        private void EndMemoryStatus(int n)
        {
            int header = memoryStatusAt!.Value;
            memoryStatusAt = null;
            if (!memoryStatus.TryGetValue("vmRssMb", out var rss))
                throw Refuse(n, $"the memory status block of line {header} has no VmRSS entry (truncated?)");
            if (memoryStatus.TryGetValue("rssAnonMb", out var anon) && memoryStatus.TryGetValue("rssFileShmemMb", out var shared) && anon + shared != rss)
                throw Refuse(n, $"VmRSS {rss} MB is not RssAnnon {anon} MB + RssFile + RssShmem {shared} MB");
            foreach (var (key, value) in memoryStatus) conditions[key] = Invariant(value);
        }

        private void ReadReplacing(int n, Match m)
        {
            int nodes = LogText.RequireCount(m.Groups[1].Value, Format, n, "replaced node count");
            int? total = m.Groups[2].Success ? LogText.RequireCount(m.Groups[2].Value, Format, n, "node total") : null;
            if (total < nodes) throw Refuse(n, $"{nodes} of {total} nodes replaced");
            int partitions = LogText.RequireCount(m.Groups[4].Value, Format, n, "partition count");
            replacements.Add(new Replacement(n, BackendName(m.Groups[3].Value), nodes, total, partitions));
        }

        private void ReadParam(int n, string key, string value)
        {
            conditions[$"param.{key}"] = value;
            switch (key)
            {
                case "Graph":
                    if (graphEcho is not null && graphEcho != value) throw Refuse(n, $"a second graph '{value}' (the first was '{graphEcho}')");
                    graphEcho = value;
                    break;
                case "#threads used for CPU inference":
                    threadsUsed = LogText.RequireCount(value, Format, n, key);
                    break;
                case "Num threads":
                    var threads = LogText.RequireNumber(value, Format, n, key);
                    if (threads > 0) numThreads = LogText.RequireCount(value, Format, n, key);
                    break;
            }
        }

        private void ReadFlags(int n, string body, string graph)
        {
            if (graphFlag is not null && graphFlag != graph) throw Refuse(n, $"a second --graph={graph} (the first was {graphFlag})");
            graphFlag = graph;
            var threads = Regex.Match(body, @"--num_threads=(\S+)");
            if (threads.Success && LogText.RequireNumber(threads.Groups[1].Value, Format, n, "--num_threads") > 0)
                flagThreads = LogText.RequireCount(threads.Groups[1].Value, Format, n, "--num_threads");
        }

        private void OpenProfiling(int n, Section next)
        {
            if (profilingOpen is { } open) throw Refuse(n, $"a profiling section starts before the one of line {open.Line} printed 'nodes observed' (truncated?)");
            if (next == Section.Regular && timed is null) throw Refuse(n, "regular-run profiling before the timed loop (reordered)");
            section = next;
            profilingOpen = (n, 0);
        }

        private void OpenTable(int n, string title)
        {
            if (title is not ("Run Order" or "Top by Computation Time" or "Top by Memory Use" or "Summary by node type"))
                throw Refuse(n, $"unknown profiling table '{title}'");
            if (section == Section.Regular && timed is null) throw Refuse(n, "an op-profiling table before the timed loop (reordered)");
            profilingOpen ??= (n, 0);
            table = new Table(title, section, n);
        }

        /// <summary>Reads a table's header or row; false when the table has ended and the line is something else.</summary>
        private bool ReadTable(int n, string line)
        {
            var t = table!;
            if (t.Columns is null)
            {
                var columns = Regex.Matches(line, @"\[([^\]]+)\]").Select(c => c.Groups[1].Value.Trim().ToLowerInvariant()).ToArray();
                if (columns.Length < 2) throw Refuse(n, $"the '{t.Title}' table of line {t.Line} has no [column] header");
                foreach (var c in columns)
                    if (c is not ("node type" or "start" or "first" or "avg ms" or "%" or "cdf%" or "mem kb" or "times called" or "name" or "count" or "avg %" or "cdf %"))
                        throw Refuse(n, $"unknown column [{c}] in the '{t.Title}' table (units changed?)");
                if (t.Title != "Summary by node type" && !(columns.Contains("node type") && columns.Contains("avg ms") && columns.Contains("name")))
                    throw Refuse(n, $"the '{t.Title}' table lacks [node type], [avg ms] or [Name]");
                t.Columns = columns;
                return true;
            }
            if (line.Trim().Length == 0 || TableTitle().IsMatch(line.Trim()))
            {
                table = null;
                return line.Trim().Length == 0;
            }
            var cells = line.Split('\t');
            if (cells.Length > 0 && cells[0].Trim().Length == 0) cells = cells[1..];
            if (cells.Length != t.Columns.Length)
            {
                if (line.Trim().StartsWith("Timings (microseconds)", StringComparison.Ordinal) || NodesObserved().IsMatch(line.Trim()))
                {
                    table = null;
                    return false;
                }
                throw Refuse(n, $"a row of {cells.Length} tab-separated cells under a header of {t.Columns.Length} columns");
            }
            if (t.Title == "Run Order" && t.Section == Section.Regular) AddOperator(n, t.Columns, cells);
            else ValidateRow(n, t.Columns, cells);
            profilingOpen = profilingOpen is { } open ? (open.Line, open.Rows + (t.Title == "Run Order" ? 1 : 0)) : null;
            return true;
        }

        private void AddOperator(int n, string[] columns, string[] cells)
        {
            if (operators.Count >= limits.MaxOperators) throw Refuse(n, $"more than {limits.MaxOperators} operator rows");
            string nodeType = "", name = "";
            decimal? start = null, first = null, avg = null, percent = null, cdf = null, mem = null;
            long? times = null;
            for (int i = 0; i < columns.Length; i++)
            {
                var cell = cells[i].Trim();
                switch (columns[i])
                {
                    case "node type": nodeType = cell; break;
                    case "name": name = cell; break;
                    case "start": start = LogText.RequireNumber(cell, Format, n, "[start]"); break;
                    case "first": first = LogText.RequireNonNegative(cell, Format, n, "[first]"); break;
                    case "avg ms": avg = LogText.RequireNonNegative(cell, Format, n, "[avg ms]"); break;
                    case "%": percent = Percent(n, cell, "[%]"); break;
                    case "cdf%": cdf = Percent(n, cell, "[cdf%]"); break;
                    case "mem kb": mem = LogText.RequireNumber(cell, Format, n, "[mem KB]"); break;
                    case "times called": times = LogText.RequireCount(cell, Format, n, "[times called]"); break;
                    default: throw Refuse(n, $"column [{columns[i]}] does not belong in a Run Order table");
                }
            }
            if (nodeType.Length == 0) throw Refuse(n, "an operator row without a node type");
            if (name.Length == 0) throw Refuse(n, "an operator row without a name");
            operators.Add(new OperatorTiming(operators.Count, nodeType, name, D(start), D(first), (double)avg!.Value,
                D(percent), D(cdf), D(mem), times));
        }

        private static void ValidateRow(int n, string[] columns, string[] cells)
        {
            for (int i = 0; i < columns.Length; i++)
            {
                var cell = cells[i].Trim();
                switch (columns[i])
                {
                    case "node type" or "name": if (cell.Length == 0) throw Refuse(n, $"[{columns[i]}] is empty"); break;
                    case "%" or "cdf%" or "avg %" or "cdf %": Percent(n, cell, $"[{columns[i]}]"); break;
                    default: LogText.RequireNumber(cell, Format, n, $"[{columns[i]}]"); break;
                }
            }
        }

        private static decimal? Percent(int n, string cell, string what)
        {
            if (!cell.EndsWith('%')) throw Refuse(n, $"{what} '{cell}' has no % sign");
            var number = cell[..^1];
            // The tool divides by the total time; a run that took 0 µs in total prints nan%.
            return number is "nan" or "-nan" ? null : LogText.RequireNumber(number, Format, n, what);
        }

        private void CloseProfiling(int n, int observed)
        {
            if (profilingOpen is not { } open) throw Refuse(n, "'nodes observed' without a profiling table before it");
            table = null;
            if (section == Section.Regular && open.Rows != 0 && open.Rows != observed)
                throw Refuse(n, $"{observed} nodes observed but the Run Order table has {open.Rows} rows");
            profilingOpen = null;
            section = Section.Regular;
        }

        private void AfterSummary(int n, string what)
        {
            if (summary is null) throw Refuse(n, $"{what} comes before the inference timings summary (truncated or reordered)");
        }

        public ImportedRun Finish(int end)
        {
            if (memoryStatusAt is not null) EndMemoryStatus(end);
            if (runningLine is { } open) throw Refuse(end, $"the log ends inside the benchmark loop started on line {open} (truncated)");
            if (warmup is null) throw Refuse(end, "no benchmark loop: this is not a complete benchmark_model log");
            if (timed is null) throw Refuse(end, "the log ends after the warm-up loop (truncated: no timed loop)");
            if (summary is null) throw Refuse(end, "the log ends before the inference timings summary (truncated)");
            if (profilingOpen is { } prof) throw Refuse(end, $"the profiling section of line {prof.Line} ends without 'nodes observed' (truncated)");

            var (backend, delegation, kernels) = Delegates();
            var graph = GraphPath(end);
            if (peak is not null) conditions["peakMemory"] = "periodic monitoring";
            return new ImportedRun
            {
                Tool = "benchmark_model",
                Runtime = "tflite",
                Backend = backend,
                Delegation = delegation,
                DelegateKernels = kernels,
                Line = 1,
                GraphPath = graph,
                GraphName = graph is null ? null : LogText.FileName(graph),
                Threads = threadsUsed ?? numThreads ?? flagThreads,
                WarmupRuns = warmup.Count,
                TimedRuns = timed.Count,
                InitMs = summary.InitUs is { } init ? LogText.UsToMs(init) : initialized?.Ms,
                FirstInferenceMs = warmup.Count > 0 ? Ms(summary.FirstUs ?? warmup.First) : null,
                WarmupMeanMs = Ms(warmup.Avg),
                MeanMs = Ms(timed.Avg),
                StdMs = Ms(timed.Std),
                MinMs = Ms(timed.Min),
                MaxMs = Ms(timed.Max),
                P5Ms = Ms(timed.P5),
                P50Ms = Ms(timed.Median),
                P95Ms = Ms(timed.P95),
                PeakMemoryMb = peak,
                Conditions = conditions,
                Operators = operators,
            };
        }

        /// <summary>
        /// The backend and how much of the graph it took. Explicit delegate lines decide; without them a
        /// <c>Replacing … node(s)</c> line of a delegate other than the default XNNPACK one does. XNNPACK applied by
        /// default on a CPU run keeps the backend <c>cpu</c> and is noted in the conditions.
        /// </summary>
        private (string Backend, string? Delegation, int? Kernels) Delegates()
        {
            foreach (var r in replacements)
            {
                conditions[$"delegate.{r.Name}.nodes"] = r.Total is { } t ? $"{r.Nodes}/{t}" : $"{r.Nodes}";
                conditions[$"delegate.{r.Name}.partitions"] = Invariant(r.Partitions);
            }
            foreach (var d in delegates)
                foreach (var r in replacements.Where(r => r.Name == d.Name && r.Total is not null))
                    if (d.Delegation == "full" && (r.Nodes != r.Total || r.Partitions != 1))
                        throw Refuse(d.Line, $"the {d.Name} delegate is said to run the whole graph, but line {r.Line} replaced {r.Nodes} of {r.Total} nodes in {r.Partitions} partitions");

            if (delegates.Count > 0)
            {
                var names = delegates.Select(d => d.Name).Distinct().ToList();
                foreach (var name in names)
                    if (delegates.Where(d => d.Name == name).Select(d => d.Delegation).Distinct().Count() > 1)
                        throw Refuse(delegates.Last(d => d.Name == name).Line, $"contradictory delegation lines for the {name} delegate");
                string delegation = delegates.Any(d => d.Delegation == "full") ? "full"
                    : delegates.Any(d => d.Delegation == "partial") ? "partial" : "none";
                int? kernels = delegates.All(d => d.Kernels is not null) ? delegates.Sum(d => d.Kernels!.Value) : null;
                return (string.Join('+', names), delegation, kernels);
            }
            var explicitReplacements = replacements.Where(r => r.Name != "xnnpack").ToList();
            if (explicitReplacements.Count > 0)
            {
                var names = explicitReplacements.Select(r => r.Name).Distinct().ToList();
                string? delegation = explicitReplacements.All(r => r.Total is not null)
                    ? explicitReplacements.All(r => r.Nodes == r.Total && r.Partitions == 1) ? "full"
                    : explicitReplacements.Any(r => r.Nodes > 0) ? "partial" : "none"
                    : null;
                return (string.Join('+', names), delegation, explicitReplacements.Sum(r => r.Partitions));
            }
            if (replacements.Count > 0) conditions["defaultDelegate"] = "xnnpack";
            foreach (var (flag, name) in (ReadOnlySpan<(string, string)>)[("param.Use gpu", "gpu"), ("param.Use nnapi", "nnapi"), ("param.Use NNAPI", "nnapi"), ("param.Use hexagon", "hexagon"), ("param.Use xnnpack", "xnnpack")])
                if (conditions.TryGetValue(flag, out var on) && on is "1" or "true") return (name, null, null);
            return ("cpu", null, null);
        }

        private string? GraphPath(int end)
        {
            var named = new[] { graphEcho, graphFlag, loadedModel }.Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
            var distinct = named.Select(LogText.FileName).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 1) throw Refuse(end, $"the log names different graphs: {string.Join(", ", named)}");
            return named.FirstOrDefault();
        }

        private static decimal Require(Dictionary<string, decimal> fields, string key, int n) =>
            fields.TryGetValue(key, out var v) ? v : throw Refuse(n, $"field '{key}' is missing");

        private static void RequireUnit(int n, string unit, string expected, string what)
        {
            if (unit != expected) throw Refuse(n, $"{what} in '{unit}', expected '{expected}' (units changed)");
        }

        private static decimal? Ms(decimal? us) => us is { } v ? LogText.UsToMs(v) : null;

        private static double? D(decimal? value) => value is { } v ? (double)v : null;

        private static BenchmarkLogException Refuse(int n, string problem) => new(Format, n, problem);
    }

    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The delegate's backend name as MeasurementRecorded spells it (GPU, TfLiteGpuDelegateV2 → gpu).</summary>
    internal static string BackendName(string printed)
    {
        var name = printed.Trim().ToLowerInvariant();
        return name switch
        {
            "gpu" or "tflitegpudelegate" or "tflitegpudelegatev2" => "gpu",
            "nnapi" or "tflitennapidelegate" => "nnapi",
            "xnnpack" or "tflitexnnpackdelegate" => "xnnpack",
            "hexagon" or "tflitehexagondelegate" => "hexagon",
            "coreml" or "tflitecoremldelegate" => "coreml",
            _ => name.Replace(' ', '-'),
        };
    }
}
