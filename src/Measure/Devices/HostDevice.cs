using System.Globalization;
using System.Runtime.InteropServices;
using GaugeNN.Events;

namespace GaugeNN.Measure.Devices;

/// <summary>
/// The machine itself as a device: id and tier <c>host</c>, its CPU model, logical and physical core counts from
/// /proc/cpuinfo, RAM from /proc/meminfo (MemTotal), the highest cpufreq maximum when the kernel exposes it.
/// </summary>
public static class HostDevice
{
    public const string Id = "host";

    public static DeviceRegistered Describe(TimeProvider time)
    {
        string cpuinfo = ReadOrEmpty("/proc/cpuinfo"), meminfo = ReadOrEmpty("/proc/meminfo");
        var maxKhz = Directory.Exists("/sys/devices/system/cpu")
            ? Directory.GetDirectories("/sys/devices/system/cpu", "cpu*")
                .Select(d => Path.Combine(d, "cpufreq", "cpuinfo_max_freq"))
                .Select(ReadOrEmpty)
                .Select(s => long.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var khz) ? khz : 0)
                .Where(khz => khz > 0).ToList()
            : [];
        return Describe(cpuinfo, meminfo, maxKhz, time.GetUtcNow());
    }

    /// <summary>The host from the text of /proc/cpuinfo and /proc/meminfo and the per-core maximum frequencies (kHz).</summary>
    public static DeviceRegistered Describe(string cpuinfo, string meminfo, IReadOnlyList<long> maxKhz, DateTimeOffset at)
    {
        var (processors, global) = Blocks(cpuinfo);
        var first = processors.FirstOrDefault() ?? global;
        // x86 names its CPU in "model name"; arm kernels print "Hardware"/"Processor" outside the blocks, or only
        // the implementer and part codes.
        string? cpuModel = Field(first, "model name") ?? Field(global, "Hardware") ?? Field(global, "Processor")
            ?? (Field(first, "CPU implementer") is { } impl ? $"implementer {impl} part {Field(first, "CPU part")}" : null);
        var physical = processors
            .Where(p => p.ContainsKey("core id"))
            .Select(p => (Field(p, "physical id") ?? "0", Field(p, "core id")!))
            .Distinct().Count();
        long? ramMb = null;
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var parts = line["MemTotal:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                ramMb = kb / 1024;
        }
        int? cores = processors.Count > 0 ? processors.Count : null;
        var conditions = physical > 0 ? $"host:/proc/cpuinfo ({physical} physical cores)" : "host:/proc/cpuinfo";
        return new DeviceRegistered(Id, Serial: null, Manufacturer: Field(first, "vendor_id"), Model: Environment.MachineName,
            Family: null, Soc: null, Abi: RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(), Sdk: null, RamMb: ramMb,
            Cores: cores, BigCores: null, LittleCores: null, BigCoreMaxMhz: maxKhz.Count > 0 ? (int)(maxKhz.Max() / 1000) : null,
            CpuModel: cpuModel, Tier: "host", Year: null, Source: conditions, Inferred: false, At: at);
    }

    /// <summary>The per-processor blocks of /proc/cpuinfo and the lines outside them (arm's trailing Hardware line).</summary>
    private static (List<Dictionary<string, string>> Processors, Dictionary<string, string> Global) Blocks(string cpuinfo)
    {
        var processors = new List<Dictionary<string, string>>();
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var raw in cpuinfo.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0)
            {
                if (raw.Trim().Length == 0) current = null; // a blank line ends a processor's block
                continue;
            }
            var key = raw[..colon].Trim();
            var value = raw[(colon + 1)..].Trim();
            if (key == "processor")
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                processors.Add(current);
            }
            else (current ?? global).TryAdd(key, value);
        }
        return (processors, global);
    }

    private static string? Field(Dictionary<string, string> block, string key) =>
        block.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
