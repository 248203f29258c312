// The device catalogue of schemas/devices/catalogue.json (fields, tier rule and sources in schemas/devices/README.md).
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GaugeNN.Events;

namespace GaugeNN.Measure.Devices;

public sealed record SocEntry(
    string Id, string Name, string Vendor, string Tier, int Year, IReadOnlyList<string> Parts,
    IReadOnlyList<string> Platforms, IReadOnlyList<string> Aliases);

public sealed record PhoneEntry(
    string Model, string Name, string Manufacturer, string Family, int Year, string Soc, IReadOnlyList<string> Codenames);

/// <summary>
/// SoCs with their tier and year, phone models with their SoC, family and year, and the classification of a device
/// from its properties: the phone model (or Pixel codename) first, then the SoC by <c>ro.soc.model</c>, then by
/// <c>ro.board.platform</c>, <c>ro.hardware</c> or the cpuinfo Hardware line, then the documented inference rule.
/// </summary>
public sealed partial class DeviceCatalogue
{
    public IReadOnlyList<SocEntry> Socs { get; }
    public IReadOnlyList<PhoneEntry> Phones { get; }

    private readonly Dictionary<string, SocEntry> socById;
    private readonly Dictionary<string, PhoneEntry> phoneByModel;
    private readonly Dictionary<string, PhoneEntry> phoneByCodename;
    private readonly Dictionary<string, List<SocEntry>> socByPart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SocEntry>> socByPlatform = new(StringComparer.Ordinal);

    private DeviceCatalogue(IReadOnlyList<SocEntry> socs, IReadOnlyList<PhoneEntry> phones)
    {
        Socs = socs;
        Phones = phones;
        socById = new Dictionary<string, SocEntry>(StringComparer.Ordinal);
        foreach (var soc in socs)
        {
            if (soc.Tier is not ("low" or "mid" or "high")) throw new FormatException($"SoC {soc.Id}: tier '{soc.Tier}' is not low, mid or high");
            if (!socById.TryAdd(soc.Id, soc)) throw new FormatException($"SoC {soc.Id} is listed twice");
            // Part numbers and names identify one chip (or its binned variants); platform codenames may be shared.
            foreach (var key in soc.Parts.Concat(soc.Aliases).Append(soc.Name)) Index(socByPart, Key(key), soc);
            foreach (var key in soc.Platforms) Index(socByPlatform, Key(key), soc);
        }
        phoneByModel = new Dictionary<string, PhoneEntry>(StringComparer.OrdinalIgnoreCase);
        phoneByCodename = new Dictionary<string, PhoneEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var phone in phones)
        {
            if (!socById.ContainsKey(phone.Soc)) throw new FormatException($"phone {phone.Model}: unknown SoC '{phone.Soc}'");
            if (!phoneByModel.TryAdd(phone.Model, phone)) throw new FormatException($"phone model {phone.Model} is listed twice");
            foreach (var code in phone.Codenames)
                if (!phoneByCodename.TryAdd(code, phone)) throw new FormatException($"codename {code} is listed twice");
        }
    }

    private static void Index(Dictionary<string, List<SocEntry>> index, string key, SocEntry soc)
    {
        if (key.Length == 0) return;
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        if (!list.Contains(soc)) list.Add(soc);
    }

    /// <summary>The catalogue shipped in schemas/devices/catalogue.json (embedded in this assembly).</summary>
    public static DeviceCatalogue Embedded { get; } = LoadEmbedded();

    private static DeviceCatalogue LoadEmbedded()
    {
        using var stream = typeof(DeviceCatalogue).Assembly.GetManifestResourceStream("GaugeNN.Measure.Devices.catalogue.json")
            ?? throw new InvalidOperationException("the embedded device catalogue is missing from GaugeNN.Measure");
        using var reader = new StreamReader(stream);
        return Load(reader.ReadToEnd());
    }

    private sealed record CatalogueFile(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("socs")] List<SocFile> Socs,
        [property: JsonPropertyName("phones")] List<PhoneFile> Phones);

    private sealed record SocFile(string Id, string Name, string Vendor, string Tier, int Year, List<string>? Parts = null, List<string>? Platforms = null, List<string>? Aliases = null);

    private sealed record PhoneFile(string Model, string Name, string Manufacturer, string Family, int Year, string Soc, List<string>? Codenames = null);

    /// <summary>A catalogue from its JSON text; an entry missing a field, an unknown tier or SoC, or a duplicate is refused.</summary>
    public static DeviceCatalogue Load(string json)
    {
        var file = JsonSerializer.Deserialize<CatalogueFile>(json, new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        }) ?? throw new FormatException("the device catalogue is empty");
        if (file.Version != 1) throw new FormatException($"device catalogue version {file.Version} is not 1");
        return new DeviceCatalogue(
            file.Socs.Select(s => new SocEntry(s.Id, s.Name, s.Vendor, s.Tier, s.Year, s.Parts ?? [], s.Platforms ?? [], s.Aliases ?? [])).ToList(),
            file.Phones.Select(p => new PhoneEntry(p.Model, p.Name, p.Manufacturer, p.Family, p.Year, p.Soc, p.Codenames ?? [])).ToList());
    }

    public SocEntry Soc(string id) => socById[id];

    /// <summary>The device as an event: tier and year from the catalogue entry that matched, else from the rule.</summary>
    public DeviceRegistered Classify(string deviceId, DeviceProperties device, DateTimeOffset at)
    {
        var (tier, year, source, inferred, soc, family) = Resolve(device);
        return new DeviceRegistered(deviceId, device.Serial, device.Manufacturer, device.Model, family, soc, device.Abi,
            device.Sdk, device.RamMb, device.Cores, device.BigCores, device.LittleCores, device.BigCoreMaxMhz, device.CpuModel,
            tier, year, source, inferred, at);
    }

    private (string Tier, int? Year, string Source, bool Inferred, string? Soc, string? Family) Resolve(DeviceProperties d)
    {
        if (FindPhone(d) is { } found)
        {
            var (phone, how) = found;
            var soc = socById[phone.Soc];
            return (soc.Tier, phone.Year, $"catalogue:phone:{phone.Model} ({how})", false, soc.Name, phone.Family);
        }
        foreach (var (property, value, platform) in SocEvidence(d))
        {
            var candidates = Candidates(value, platform);
            if (candidates.Count == 0) continue;
            var tiers = candidates.Select(c => c.Tier).Distinct().ToList();
            // A platform codename shared by chips of different tiers (lahaina: 888 and 778G) decides nothing.
            if (tiers.Count > 1) continue;
            var years = candidates.Select(c => c.Year).Distinct().ToList();
            var ids = string.Join("|", candidates.Select(c => c.Id));
            return (tiers[0], years.Count == 1 ? years[0] : null, $"catalogue:soc:{ids} ({property}={value})", false,
                string.Join(" / ", candidates.Select(c => c.Name)), null);
        }
        return Infer(d);
    }

    private (PhoneEntry Phone, string How)? FindPhone(DeviceProperties d)
    {
        if (d.Model is { } model)
        {
            // Samsung appends regional suffixes after a slash (SM-G991B/DS); the part before it names the hardware.
            var bare = model.Split('/')[0].Trim();
            if (phoneByModel.TryGetValue(bare, out var phone) && SameMaker(phone, d)) return (phone, $"ro.product.model={model}");
        }
        if (d.Device is { } device && phoneByCodename.TryGetValue(device.Trim(), out var byCode) && SameMaker(byCode, d))
            return (byCode, $"ro.product.device={device}");
        return null;
    }

    private static bool SameMaker(PhoneEntry phone, DeviceProperties d) =>
        d.Manufacturer is null || string.Equals(phone.Manufacturer, d.Manufacturer.Trim(), StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<(string Property, string Value, bool Platform)> SocEvidence(DeviceProperties d)
    {
        if (d.SocModel is { } socModel) yield return ("ro.soc.model", socModel, false);
        if (d.BoardPlatform is { } platform) yield return ("ro.board.platform", platform, true);
        if (d.Hardware is { } hardware) yield return ("ro.hardware", hardware, true);
        if (d.CpuinfoHardware is { } cpuinfo) yield return ("cpuinfo Hardware", cpuinfo, false);
    }

    /// <summary>
    /// SoCs a property value names: the whole value, then each word of it that mixes letters and digits (a part
    /// number inside a longer text such as cpuinfo's "Qualcomm Technologies, Inc SM8150"). A platform property is
    /// looked up among platform codenames first (sm6150 is a platform of five chips and the part of one).
    /// </summary>
    private List<SocEntry> Candidates(string value, bool platform)
    {
        var keys = new List<string> { Key(value) };
        foreach (var word in WordSplit().Split(value.ToLowerInvariant()))
        {
            if (!word.Any(char.IsAsciiDigit) || !word.Any(char.IsAsciiLetter)) continue;
            keys.Add(Key(word));
            // MediaTek chips report a bin suffix (MT6765V/WB): the four digits name the chip.
            var mt = MediaTekPart().Match(word);
            if (mt.Success) keys.Add(mt.Groups[1].Value);
        }
        var (first, second) = platform ? (socByPlatform, socByPart) : (socByPart, socByPlatform);
        foreach (var key in keys.Distinct())
        {
            if (first.TryGetValue(key, out var found)) return found;
            if (second.TryGetValue(key, out found)) return found;
        }
        return [];
    }

    /// <summary>Lower case, letters and digits only; Samsung's samsungexynos9810 spelling → exynos9810.</summary>
    private static string Key(string value) => Normalise(NonAlphanumeric().Replace(value.ToLowerInvariant(), ""));

    private static string Normalise(string key)
    {
        key = NonAlphanumeric().Replace(key, "");
        if (key.StartsWith("samsungexynos", StringComparison.Ordinal)) return key["samsung".Length..];
        return key;
    }

    [GeneratedRegex("[^a-z0-9]")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex(@"[\s,/()_]+")]
    private static partial Regex WordSplit();

    [GeneratedRegex(@"^(mt\d{4})[a-z]+$")]
    private static partial Regex MediaTekPart();

    [GeneratedRegex(@"^(?:sm8\d{3}|sdm8\d{2}|msm899\d|snapdragon8\d{2}|snapdragon8(?:plus)?gen\d|exynos2\d{3}|exynos8[89]\d{2}|exynos98\d{2}|exynos99\d|dimensity9\d{3}|dimensity1[0-3]00(?:plus)?|googletensor\w*|tensor\w*|gs\d01|zuma|kirin9\d{2,3}\w*|hi36\d0)$")]
    private static partial Regex HighClass();

    [GeneratedRegex(@"^(?:sm[67]\d{3}|sdm[67]\d{2}|snapdragon[67]\d{2}\w*|snapdragon[67](?:plus)?gen\d|exynos1[0-9]{3}|exynos96\d{2}|exynos9[0-8]\d|dimensity[78]\d{2,3}\w*|dimensity1080|helio[gp][6-9]\d\w*|kirin[78]\d{2}\w*)$")]
    private static partial Regex MidClass();

    [GeneratedRegex(@"^(?:sm4\d{3}|sdm4\d{2}|msm89[1-5]\d|snapdragon4\d{2}|snapdragon4gen\d|exynos7\d{3}|exynos8[0-5]\d|dimensity6\d{2,3}\w*|helio[ap][0-3]\d\w*|heliog[0-3]\d\w*|kirin6\d{2}\w*)$")]
    private static partial Regex LowClass();

    /// <summary>
    /// The rule for a device the catalogue does not know (schemas/devices/README.md): the SoC's class by its part
    /// number or marketing name when a property names one, else RAM (≥ 8 GB high, ≥ 4 GB mid) and the big cores'
    /// maximum frequency (≥ 2.8 GHz high, ≥ 2.2 GHz mid), taking the lower of the two when both are known.
    /// </summary>
    private static (string Tier, int? Year, string Source, bool Inferred, string? Soc, string? Family) Infer(DeviceProperties d)
    {
        foreach (var (property, value, _) in SocEvidence(d))
        {
            foreach (var word in WordSplit().Split(value.ToLowerInvariant()).Prepend(NonAlphanumeric().Replace(value.ToLowerInvariant(), "")))
            {
                var key = Normalise(word);
                string? tier = HighClass().IsMatch(key) ? "high" : MidClass().IsMatch(key) ? "mid" : LowClass().IsMatch(key) ? "low" : null;
                if (tier is not null) return (tier, null, $"rule:soc-class ({property}={value})", true, value, null);
            }
        }
        string? byRam = d.RamMb is { } ram ? ram >= 8192 ? "high" : ram >= 4096 ? "mid" : "low" : null;
        string? byFrequency = d.BigCoreMaxMhz is { } mhz ? mhz >= 2800 ? "high" : mhz >= 2200 ? "mid" : "low" : null;
        var evidence = string.Join(", ", new[] { d.RamMb is { } r ? $"ram={r} MB" : null, d.BigCoreMaxMhz is { } f ? $"big core={f} MHz" : null }.Where(e => e is not null));
        return (byRam, byFrequency) switch
        {
            (null, null) => ("low", null, "rule:no-evidence", true, d.SocModel ?? d.BoardPlatform, null),
            ({ } t, null) => (t, null, $"rule:ram ({evidence})", true, d.SocModel ?? d.BoardPlatform, null),
            (null, { } t) => (t, null, $"rule:big-core-frequency ({evidence})", true, d.SocModel ?? d.BoardPlatform, null),
            ({ } a, { } b) => (Lower(a, b), null, $"rule:ram+big-core-frequency ({evidence})", true, d.SocModel ?? d.BoardPlatform, null),
        };
    }

    private static string Lower(string a, string b) => Rank(a) <= Rank(b) ? a : b;

    private static int Rank(string tier) => tier switch { "low" => 0, "mid" => 1, _ => 2 };
}
