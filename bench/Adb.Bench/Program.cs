// Push throughput of gaugeNN's ADB client beside `adb push` of the same file to the same device, in the same run,
// rounds interleaved so both see the same machine. Each push is checked on the device with sha256sum.
//   dotnet run -c Release --project bench/Adb.Bench -- [--serial SERIAL] [--mb 100] [--rounds 7]
// Without --serial, tools/test-device.sh up brings the test device up and its serial is used.
// Then, for the energy protocol (fuel gauge sampled from the host at >= 10 Hz), how fast current_now can be sampled:
// one sync read per sample, one shell `cat` per sample, and one streaming shell printing samples every 50 ms.
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using GaugeNN.Measure.Adb;

string? serial = null;
int mb = 100, rounds = 7;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--serial": serial = args[++i]; break;
        case "--mb": mb = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("usage: Adb.Bench [--serial SERIAL] [--mb N] [--rounds N]"); return 2;
    }
}

serial ??= (await Run(FindScript(), "up")).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
string file = Path.Combine(Path.GetTempPath(), $"gaugenn-adb-bench-{Guid.NewGuid():N}.bin");
string remote = $"/data/local/tmp/gaugenn-adb-bench-{Guid.NewGuid():N}.bin";
byte[] bytes = new byte[mb * 1_000_000];
new Random(7).NextBytes(bytes);
await File.WriteAllBytesAsync(file, bytes);
string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
AdbDeviceClient device = new AdbClient().Device(serial);
string adbVersion = (await Run("adb", "version")).Split('\n')[1].Trim();

try
{
    var ours = new List<double>();
    var theirs = new List<double>();
    Console.WriteLine($"device {serial}; file {bytes.Length:N0} bytes; {rounds} rounds (+1 warm-up each); {adbVersion}; {Environment.ProcessorCount} cores");
    for (int round = 0; round <= rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        await device.PushAsync(file, remote);
        double oursS = clock.Elapsed.TotalSeconds;
        await Verify("gaugenn");

        clock.Restart();
        await Run("adb", "-s", serial, "push", file, remote);
        double theirsS = clock.Elapsed.TotalSeconds;
        await Verify("adb push");

        if (round == 0) continue; // warm-up: page cache, server, device
        ours.Add(bytes.Length / oursS / 1e6);
        theirs.Add(bytes.Length / theirsS / 1e6);
        Console.WriteLine($"round {round}: gaugenn {ours[^1],8:F1} MB/s   adb push {theirs[^1],8:F1} MB/s");
    }
    double oursMedian = Median(ours), theirsMedian = Median(theirs);
    Console.WriteLine($"median      gaugenn {oursMedian,8:F1} MB/s   adb push {theirsMedian,8:F1} MB/s");
    Console.WriteLine($"ratio (gaugenn / adb push): {oursMedian / theirsMedian * 100:F0} % (target >= 90 %)");
    await Sampling();
    return 0;
}
finally
{
    File.Delete(file);
    await device.ShellAsync($"rm -f {remote}");
}

async Task Sampling()
{
    const string gauge = "/sys/class/power_supply/battery/current_now";
    var sync = new List<double>();
    var shell = new List<double>();
    for (int i = 0; i < 50; i++)
    {
        var clock = Stopwatch.StartNew();
        await device.ReadTextAsync(gauge);
        sync.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        await device.ShellAsync($"cat {gauge}");
        shell.Add(clock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"sample latency, median of 50: sync read {Median(sync):F1} ms, shell cat {Median(shell):F1} ms");
    await using AdbShellSession stream = await device.OpenShellAsync($"i=0; while [ $i -lt 40 ]; do cat {gauge}; sleep 0.05; i=$((i+1)); done");
    var arrivals = new List<TimeSpan>();
    var since = Stopwatch.StartNew();
    while (await stream.ReadAsync() is { } piece)
        arrivals.AddRange(Enumerable.Repeat(since.Elapsed, piece.Data.Span.Count((byte)'\n')));
    double rate = (arrivals.Count - 1) / (arrivals[^1] - arrivals[0]).TotalSeconds;
    Console.WriteLine($"streaming shell: {arrivals.Count} samples at {rate:F1} Hz (asked: one per 50 ms + the cat)");
}

async Task Verify(string who)
{
    string sum = (await device.ShellAsync($"sha256sum {remote}")).StdoutText.Split(' ')[0];
    if (sum != sha) throw new InvalidOperationException($"{who}: the device has sha256 {sum}, expected {sha}");
    await device.ShellAsync($"rm -f {remote}");
}

static double Median(List<double> xs)
{
    var sorted = xs.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<string> Run(string file, params string[] args)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (string a in args) start.ArgumentList.Add(a);
    using Process p = Process.Start(start)!;
    Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {await stderr}");
    return await stdout;
}

static string FindScript()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "tools", "test-device.sh"))) return Path.Combine(dir.FullName, "tools", "test-device.sh");
    throw new InvalidOperationException("no tools/test-device.sh above the bench; give --serial");
}
