// Ingest benchmark (issue 3): scan throughput beside sha256sum, seconds per APK beside `apktool d`, and peak RSS at
// two corpus sizes, each measured in a child process of this program in --scan-only mode. Not part of the test run.
//
//   Ingest.Bench --corpus DIR [--apktool N] [--rss DIR]...   full report (DIR: synth-corpus.py output); peak RSS
//                                                             of each --rss corpus is compared with DIR's
//   Ingest.Bench --scan-only DIR                              scan every snapshot in DIR, print counts and VmHWM
using System.Diagnostics;
using System.Text.Json;
using GaugeNN.Events;
using GaugeNN.Ingest;

var arguments = Arguments.Parse(args);
if (arguments.ScanOnly is { } scanOnly)
{
    var result = await Bench.ScanCorpus(scanOnly);
    Console.WriteLine(JsonSerializer.Serialize(result with { PeakRssKb = Bench.PeakRssKb() }));
    return 0;
}
if (arguments.Corpus is not { } corpus)
{
    Console.Error.WriteLine("usage: Ingest.Bench --corpus DIR [--apktool N] [--rss DIR]... | --scan-only DIR");
    return 2;
}

var files = Bench.CorpusFiles(corpus);
long bytes = files.Sum(f => new FileInfo(f).Length);
Console.WriteLine($"corpus {corpus}: {files.Count} files, {bytes / 1e6:F1} MB, {Environment.ProcessorCount} cores");

Bench.RunSha256sum(files); // warms the page cache so that both sides read from memory
var (shaSeconds, shaCpu) = Bench.RunSha256sum(files);
await Bench.ScanCorpus(corpus); // the first pass also compiles the scanner; a long ingest runs compiled code
var scan = await Bench.ScanCorpus(corpus);
double shaMbs = bytes / 1e6 / shaSeconds, scanMbs = bytes / 1e6 / scan.Seconds;
Console.WriteLine($"throughput  sha256sum {shaMbs,8:F1} MB/s ({shaSeconds:F2} s wall)   gaugenn scan {scanMbs,8:F1} MB/s ({scan.Seconds:F2} s wall, {Environment.ProcessorCount} threads)   ratio {scanMbs / shaMbs:P0} (target >= 50 %)");
// Per CPU-second as well: the wall-clock ratio moves with whatever else the machine runs, the CPU cost does not.
double shaCpuMbs = bytes / 1e6 / shaCpu, scanCpuMbs = bytes / 1e6 / scan.CpuSeconds;
Console.WriteLine($"per CPU-s   sha256sum {shaCpuMbs,8:F1} MB/s ({shaCpu:F2} s CPU)    gaugenn scan {scanCpuMbs,8:F1} MB/s ({scan.CpuSeconds:F2} s CPU)   ratio {scanCpuMbs / shaCpuMbs:P0}");
Console.WriteLine($"found       {JsonSerializer.Serialize(scan.Counts)}");
Console.WriteLine($"expected    {JsonSerializer.Serialize(Bench.ExpectedCounts(corpus))}");

if (arguments.Apktool > 0)
{
    var sample = files.Where(f => f.EndsWith(".apk", StringComparison.Ordinal)).Take(arguments.Apktool).ToList();
    double ours = await Bench.SecondsPerApk(sample);
    double apktool = Bench.ApktoolSecondsPerApk(sample);
    Console.WriteLine($"per APK     apktool d {apktool,8:F3} s   gaugenn {ours,8:F5} s   speed-up {apktool / ours:F0}x (target >= 100x) over {sample.Count} APKs");
}

var baseline = Bench.ScanInChild(corpus);
Console.WriteLine($"peak RSS    {corpus}: {baseline.Apps,6} app scans, {baseline.PeakRssKb / 1024.0,7:F1} MB (scan-only child process)");
foreach (var other in arguments.RssCorpora)
{
    var run = Bench.ScanInChild(other);
    Console.WriteLine($"peak RSS    {other}: {run.Apps,6} app scans, {run.PeakRssKb / 1024.0,7:F1} MB   ratio {run.PeakRssKb / (double)baseline.PeakRssKb:F2} (target within 1.20)");
}
return 0;

internal sealed record Arguments(string? Corpus, IReadOnlyList<string> RssCorpora, int Apktool, string? ScanOnly)
{
    public static Arguments Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var rss = args.Zip(args.Skip(1)).Where(p => p.First == "--rss").Select(p => p.Second).ToList();
        return new Arguments(Value("--corpus"), rss, int.TryParse(Value("--apktool"), out int n) ? n : 0, Value("--scan-only"));
    }
}

internal sealed record ScanResult(int Apps, double Seconds, double CpuSeconds, Dictionary<string, int> Counts, long PeakRssKb);

internal static class Bench
{
    public static List<string> Snapshots(string corpus) =>
        Directory.GetDirectories(corpus).Where(d => File.Exists(Path.Combine(d, "listing.jsonl"))).Order(StringComparer.Ordinal).ToList();

    public static List<string> CorpusFiles(string corpus) =>
        Snapshots(corpus).SelectMany(s => Directory.GetFiles(s).Where(f => !f.EndsWith(".jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal)).ToList();

    public static async Task<ScanResult> ScanCorpus(string corpus)
    {
        var scanner = new SnapshotScanner(new IngestOptions(), TimeProvider.System);
        var counts = new Dictionary<string, int>();
        void Count(string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
        int apps = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var snapshot in Snapshots(corpus))
            await foreach (var app in scanner.ScanAsync(Path.GetFileName(snapshot), snapshot))
            {
                apps++;
                foreach (var e in app.Events)
                    switch (e)
                    {
                        case ModelFileFound { Encrypted: true }: Count("encrypted"); break;
                        case ModelFileFound m: Count("models"); Count("models:" + m.Format); break;
                        case AppScanFailed: Count("failures"); break;
                    }
            }
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return new ScanResult(apps, clock.Elapsed.TotalSeconds, cpuSeconds, new(counts.OrderBy(c => c.Key)), 0);
    }

    /// <summary>The same counts summed over the corpus's snapshots, from the generator's expected.json.</summary>
    public static Dictionary<string, int> ExpectedCounts(string corpus)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(corpus, "expected.json")));
        foreach (var snapshot in expected.RootElement.GetProperty("snapshots").EnumerateObject())
        {
            void Add(string key, int value) { if (value > 0) counts[key] = counts.GetValueOrDefault(key) + value; }
            Add("models", snapshot.Value.GetProperty("modelFiles").GetInt32());
            Add("encrypted", snapshot.Value.GetProperty("encryptedModels").GetInt32());
            foreach (var framework in snapshot.Value.GetProperty("modelFilesByFramework").EnumerateObject())
                Add("models:" + framework.Name, framework.Value.GetInt32());
        }
        return new(counts);
    }

    /// <summary>Wall and CPU (user + system) seconds of sha256sum over the files, timed by /usr/bin/time.</summary>
    public static (double Wall, double Cpu) RunSha256sum(List<string> files)
    {
        var list = Path.GetTempFileName();
        try
        {
            File.WriteAllText(list, string.Join('\0', files) + "\0");
            string timing = Run("/usr/bin/time", ["-f", "%e %U %S", "bash", "-c", $"xargs -0 -a '{list}' sha256sum > /dev/null"]);
            var fields = timing.Trim().Split('\n')[^1].Split(' ').Select(double.Parse).ToArray();
            return (fields[0], fields[1] + fields[2]);
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>Our scan of each APK alone, one at a time (one thread, like apktool's per-file run).</summary>
    public static async Task<double> SecondsPerApk(List<string> apks)
    {
        var options = new IngestOptions { Parallelism = 1 };
        var scanner = new SnapshotScanner(options, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        const int Rounds = 5;
        for (int round = 0; round < Rounds; round++)
            foreach (var apk in apks)
            {
                var folder = Directory.CreateTempSubdirectory("gaugenn-bench-");
                try
                {
                    File.CreateSymbolicLink(Path.Combine(folder.FullName, Path.GetFileName(apk)), apk);
                    await foreach (var _ in scanner.ScanAsync("bench", folder.FullName)) { }
                }
                finally
                {
                    folder.Delete(recursive: true);
                }
            }
        return clock.Elapsed.TotalSeconds / (Rounds * apks.Count);
    }

    public static double ApktoolSecondsPerApk(List<string> apks)
    {
        var output = Directory.CreateTempSubdirectory("gaugenn-apktool-");
        try
        {
            var clock = Stopwatch.StartNew();
            foreach (var apk in apks)
                Run("apktool", ["d", "-f", "-q", "-o", Path.Combine(output.FullName, Path.GetFileNameWithoutExtension(apk)), apk]);
            return clock.Elapsed.TotalSeconds / apks.Count;
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    public static ScanResult ScanInChild(string corpus)
    {
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(Bench).Assembly.Location);
        foreach (var a in (string[])["--scan-only", corpus]) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        string last = child.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
        child.WaitForExit();
        return JsonSerializer.Deserialize<ScanResult>(last)!;
    }

    public static long PeakRssKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }

    /// <summary>Runs a tool to completion and returns what it wrote to stderr.</summary>
    private static string Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited {process.ExitCode}: {stderr}");
        return stderr;
    }
}
