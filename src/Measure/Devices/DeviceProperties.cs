namespace GaugeNN.Measure.Devices;

/// <summary>
/// What a device says about itself (Android properties, /proc and /sys), the input to
/// <see cref="DeviceCatalogue.Classify"/>. Every field is optional; the more there are, the surer the match.
/// </summary>
public sealed record DeviceProperties
{
    public string? Serial { get; init; }
    /// <summary><c>ro.product.manufacturer</c></summary>
    public string? Manufacturer { get; init; }
    /// <summary><c>ro.product.model</c> (e.g. SM-G991B, Pixel 6)</summary>
    public string? Model { get; init; }
    /// <summary><c>ro.product.device</c> (the codename, e.g. oriole)</summary>
    public string? Device { get; init; }
    /// <summary><c>ro.soc.model</c> (Android 12+, e.g. SM8350, MT6893, Tensor)</summary>
    public string? SocModel { get; init; }
    /// <summary><c>ro.soc.manufacturer</c></summary>
    public string? SocManufacturer { get; init; }
    /// <summary><c>ro.board.platform</c> (e.g. lahaina, taro, kalama, mt6877, exynos2100)</summary>
    public string? BoardPlatform { get; init; }
    /// <summary><c>ro.hardware</c> (qcom, exynos2100, mt6833, …)</summary>
    public string? Hardware { get; init; }
    /// <summary><c>ro.product.board</c></summary>
    public string? Board { get; init; }
    /// <summary>The <c>Hardware</c> line of /proc/cpuinfo (e.g. "Qualcomm Technologies, Inc SM8150").</summary>
    public string? CpuinfoHardware { get; init; }
    /// <summary><c>ro.product.cpu.abi</c></summary>
    public string? Abi { get; init; }
    /// <summary><c>ro.build.version.sdk</c></summary>
    public int? Sdk { get; init; }
    public long? RamMb { get; init; }
    public int? Cores { get; init; }
    public int? BigCores { get; init; }
    public int? LittleCores { get; init; }
    public int? BigCoreMaxMhz { get; init; }
    public string? CpuModel { get; init; }

    /// <summary>The fields above from a device's properties (as <c>getprop</c> lists them), unknown ones null.</summary>
    public static DeviceProperties FromGetprop(IReadOnlyDictionary<string, string> props)
    {
        string? Get(string key) => props.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new DeviceProperties
        {
            Serial = Get("ro.serialno"),
            Manufacturer = Get("ro.product.manufacturer"),
            Model = Get("ro.product.model"),
            Device = Get("ro.product.device"),
            SocModel = Get("ro.soc.model"),
            SocManufacturer = Get("ro.soc.manufacturer"),
            BoardPlatform = Get("ro.board.platform"),
            Hardware = Get("ro.hardware"),
            Board = Get("ro.product.board"),
            Abi = Get("ro.product.cpu.abi"),
            Sdk = int.TryParse(Get("ro.build.version.sdk"), out var sdk) ? sdk : null,
        };
    }

    /// <summary>
    /// These properties with the core layout from each core's <c>cpuinfo_max_freq</c> (kHz): the little cores are
    /// those of the lowest maximum frequency, the big ones all others (prime included), and the big-core maximum is
    /// the highest. A single cluster counts as all big.
    /// </summary>
    public DeviceProperties WithCoreMaxFrequencies(IReadOnlyList<long> maxKhz)
    {
        if (maxKhz.Count == 0) return this;
        long lowest = maxKhz.Min(), highest = maxKhz.Max();
        int little = lowest == highest ? 0 : maxKhz.Count(f => f == lowest);
        return this with
        {
            Cores = maxKhz.Count,
            LittleCores = little,
            BigCores = maxKhz.Count - little,
            BigCoreMaxMhz = (int)(highest / 1000),
        };
    }
}
