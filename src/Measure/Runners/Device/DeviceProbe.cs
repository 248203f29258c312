using System.Globalization;
using GaugeNN.Measure.Adb;
using GaugeNN.Measure.Devices;

namespace GaugeNN.Measure.Runners.Device;

/// <summary>
/// What a phone tells about itself and its state, read over ADB the way Android exposes it: <c>getprop</c>, cpufreq
/// policies, <c>/proc/meminfo</c>, thermal zones, the battery's fuel gauge, <c>dumpsys power</c>. Values a device
/// does not expose are null, never guessed.
/// </summary>
public sealed class DeviceProbe(AdbDeviceClient device)
{
    private const string Thermal = "/sys/class/thermal";
    private const string Battery = "/sys/class/power_supply/battery";
    private const string CpuFreq = "/sys/devices/system/cpu/cpufreq";

    /// <summary>The device's properties with its core clusters and RAM, for the catalogue.</summary>
    public async Task<DeviceProperties> PropertiesAsync(CancellationToken ct)
    {
        var properties = DeviceProperties.FromGetprop(await device.GetPropertiesAsync(ct));
        var policies = await PoliciesAsync(ct);
        var perCore = policies.SelectMany(p => p.Cpus.Select(_ => p.MaxKhz)).ToList();
        properties = properties.WithCoreMaxFrequencies(perCore);
        if (await device.ReadTextAsync("/proc/meminfo", ct) is { } meminfo
            && meminfo.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } total
            && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kb))
            properties = properties with { RamMb = kb / 1024 };
        return properties;
    }

    /// <summary>A cpufreq policy: its cpus, maximum frequency and governor.</summary>
    public sealed record Policy(string Name, IReadOnlyList<int> Cpus, long MaxKhz, string? Governor);

    public async Task<IReadOnlyList<Policy>> PoliciesAsync(CancellationToken ct)
    {
        var policies = new List<Policy>();
        foreach (var entry in (await ListOrEmptyAsync(CpuFreq, ct)).Where(e => e.Name.StartsWith("policy", StringComparison.Ordinal)).OrderBy(e => e.Name))
        {
            string folder = $"{CpuFreq}/{entry.Name}";
            var cpus = (await device.ReadTextAsync($"{folder}/related_cpus", ct))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.TryParse(c, out int n) ? n : -1).Where(n => n >= 0).ToList() ?? [];
            long max = long.TryParse(await device.ReadTextAsync($"{folder}/cpuinfo_max_freq", ct), out long khz) ? khz : 0;
            policies.Add(new Policy(entry.Name, cpus, max, await device.ReadTextAsync($"{folder}/scaling_governor", ct)));
        }
        return policies;
    }

    /// <summary>The taskset mask of the fastest cluster's cpus (hexadecimal), or null when cpufreq says nothing.</summary>
    public async Task<string?> BigCoreMaskAsync(CancellationToken ct)
    {
        var policies = await PoliciesAsync(ct);
        if (policies.Count == 0) return null;
        long top = policies.Max(p => p.MaxKhz);
        long mask = policies.Where(p => p.MaxKhz == top).SelectMany(p => p.Cpus).Aggregate(0L, (m, cpu) => m | (1L << cpu));
        return mask == 0 ? null : mask.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>The hottest thermal zone, in °C (zones report millidegrees), or null when none reads.</summary>
    public async Task<double?> HottestZoneCAsync(CancellationToken ct)
    {
        double? hottest = null;
        foreach (var zone in (await ListOrEmptyAsync(Thermal, ct)).Where(e => e.Name.StartsWith("thermal_zone", StringComparison.Ordinal)))
            if (double.TryParse(await device.ReadTextAsync($"{Thermal}/{zone.Name}/temp", ct), NumberStyles.Float, CultureInfo.InvariantCulture, out double milli))
                hottest = Math.Max(hottest ?? double.MinValue, milli / 1000);
        return hottest;
    }

    /// <summary>
    /// The battery's power now in mW, from the fuel gauge: |current_now| (µA; negative while discharging on most
    /// devices) × voltage_now (µV), as Android's power_supply class defines both. Null when either does not read.
    /// </summary>
    public async Task<double?> PowerMwAsync(CancellationToken ct)
    {
        var current = await device.ReadTextAsync($"{Battery}/current_now", ct);
        var voltage = await device.ReadTextAsync($"{Battery}/voltage_now", ct);
        return double.TryParse(current, NumberStyles.Float, CultureInfo.InvariantCulture, out double microAmps)
               && double.TryParse(voltage, NumberStyles.Float, CultureInfo.InvariantCulture, out double microVolts)
            ? Math.Abs(microAmps) * microVolts / 1e9
            : null;
    }

    /// <summary>What changes a result besides the config: governors, screen, battery level and charging state.</summary>
    public async Task<Dictionary<string, string>> ConditionsAsync(CancellationToken ct)
    {
        var conditions = new Dictionary<string, string>();
        var governors = (await PoliciesAsync(ct)).Where(p => p.Governor is not null).Select(p => $"{p.Name}={p.Governor}").ToList();
        if (governors.Count > 0) conditions["governor"] = string.Join(",", governors);
        if (await device.ReadTextAsync($"{Battery}/capacity", ct) is { Length: > 0 } capacity) conditions["batteryPercent"] = capacity;
        if (await device.ReadTextAsync($"{Battery}/status", ct) is { Length: > 0 } status) conditions["batteryStatus"] = status;
        var power = await device.ShellAsync("dumpsys power", ct: ct);
        if (power.ExitCode == 0 && power.StdoutText.Split('\n').Select(l => l.Trim())
                .FirstOrDefault(l => l.StartsWith("Display Power: state=", StringComparison.Ordinal)) is { } screen)
            conditions["screen"] = screen["Display Power: state=".Length..].ToLowerInvariant();
        return conditions;
    }

    private async Task<IReadOnlyList<AdbFileInfo>> ListOrEmptyAsync(string folder, CancellationToken ct) =>
        await device.StatAsync(folder, ct) is null ? [] : await device.ListAsync(folder, ct);
}
