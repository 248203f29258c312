// Measure.Bench: (a) the host runner's timing overhead beside a bare ONNX Runtime Run loop on the same session and
// inputs, in this process; (b) the run-to-run coefficient of variation of the host runner's median over repetitions.
// Usage: Measure.Bench [--rounds N] [--runs N] [--repetitions N] [--warmup N] [--timed N] MODEL.onnx[:option=value;option=value] ...
// (host runner options, e.g. shape.x=1,3,48,192 or fill.sr=16000)
using System.Diagnostics;
using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Measure.Runners.Host;

var models = new List<(string Path, Dictionary<string, string> Options)>();
int rounds = 40, runs = 25, repetitions = 5, warmup = 20, timed = 200;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--repetitions": repetitions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--timed": timed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            var parts = args[i].Split(':', 2);
            var options = new Dictionary<string, string>();
            if (parts.Length == 2)
                foreach (var spec in parts[1].Split(';'))
                {
                    var kv = spec.Split('=', 2);
                    options[kv[0]] = kv[1];
                }
            models.Add((parts[0], options));
            break;
    }
}
if (models.Count == 0)
{
    Console.Error.WriteLine("usage: Measure.Bench [--rounds N] [--runs N] [--repetitions N] [--warmup N] [--timed N] MODEL.onnx[:option=value;...] ...");
    return 2;
}

Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine($"ONNX Runtime {HostRunner.OrtVersion}; {Environment.ProcessorCount} cores; 1 intra-op thread; " +
    $"overhead: {rounds} alternating rounds of {runs} runs; stability: {repetitions} repetitions of the full protocol ({warmup} warm-up, {timed} timed)");
Console.WriteLine();
Console.WriteLine($"{"model",-45} {"bare ms",9} {"runner ms",10} {"overhead",9}   {"p50 ms (each repetition)",-40} {"CV",6}");
bool met = true;
foreach (var (path, options) in models)
{
    var config = HostOptions.Config(warmup, timed, threads: 1, options);
    var (bare, runner, overhead) = Overhead(path, config, rounds, runs);

    var host = new HostRunner(TimeProvider.System);
    var medians = new List<double>();
    for (int r = 0; r < repetitions; r++)
    {
        var outcome = host.Run(HostModel.FromFile($"bench-{r}", Path.GetFileName(path), path), config);
        medians.Add(outcome.Measurement?.P50Ms ?? throw new InvalidOperationException(outcome.Failure!.Reason));
    }
    double mean = medians.Average();
    double cv = Math.Sqrt(medians.Sum(m => (m - mean) * (m - mean)) / (medians.Count - 1)) / mean;
    met &= overhead <= 0.02 && cv <= 0.03;
    Console.WriteLine($"{Path.GetFileName(path),-45} {bare,9:0.0000} {runner,10:0.0000} {overhead,8:+0.00%;-0.00%}   " +
        $"{string.Join(" ", medians.Select(m => m.ToString("0.0000", CultureInfo.InvariantCulture))),-40} {cv,6:0.00%}");
}
Console.WriteLine();
Console.WriteLine($"load average at end: {LoadAverage()}");
Console.WriteLine("overhead = median over rounds of (runner loop / bare loop) - 1; CV = sample std / mean of the repetitions' p50");
Console.WriteLine("targets: overhead <= 2 %; CV of the median <= 3 %: " + (met ? "all met" : "MISSED"));
return 0;

// Per-inference time of the runner's timed loop and of a bare Run loop, on one session and one set of inputs.
// Each round times both back to back, in alternating order (runner first, then bare first), so load that drifts
// falls on both alike; the overhead is the median over rounds of runner/bare, which a load spike in one round
// cannot move. The medians of each loop's rounds are printed beside it.
static (double BareMs, double RunnerMs, double Overhead) Overhead(string path, BenchmarkConfig config, int rounds, int runs)
{
    using var session = OrtSession.Open(HostModel.FromFile("bench", "bench", path), config);
    for (int i = 0; i < 20; i++) session.Run();
    var bare = new List<double>();
    var runner = new List<double>();
    var ratios = new List<double>();
    for (int round = 0; round < rounds; round++)
    {
        double r, b;
        if (round % 2 == 0) { r = RunnerLoop(session, runs); b = BareLoop(session, runs); }
        else { b = BareLoop(session, runs); r = RunnerLoop(session, runs); }
        runner.Add(r);
        bare.Add(b);
        ratios.Add(r / b);
    }
    return (Median(bare), Median(runner), Median(ratios) - 1);
}

static double RunnerLoop(OrtSession session, int runs)
{
    long start = Stopwatch.GetTimestamp();
    HostRunner.TimedLoop(session, runs, CancellationToken.None);
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds / runs;
}

static double BareLoop(OrtSession session, int runs)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < runs; i++)
    {
        using var outputs = session.Session.Run(session.RunOptions, session.InputNames, session.Inputs, session.OutputNames);
    }
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds / runs;
}

// The machine's 1-, 5- and 15-minute load averages: the bench shares its cores with whatever else runs.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
