using GaugeNN.Measure.Devices;

namespace GaugeNN.Measure.Tests;

public class DeviceCatalogueTests
{
    private static readonly DeviceCatalogue Catalogue = DeviceCatalogue.Embedded;
    private static readonly DateTimeOffset At = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> PhoneModels()
    {
        var data = new TheoryData<string>();
        foreach (var phone in DeviceCatalogue.Embedded.Phones) data.Add(phone.Model);
        return data;
    }

    [Theory]
    [MemberData(nameof(PhoneModels))]
    public void every_catalogued_phone_resolves_to_its_entry(string model)
    {
        var phone = Catalogue.Phones.Single(p => p.Model == model);
        var device = Catalogue.Classify("d", new DeviceProperties { Manufacturer = phone.Manufacturer, Model = model }, At);
        var soc = Catalogue.Soc(phone.Soc);
        Assert.Equal(soc.Tier, device.Tier);
        Assert.Equal(phone.Year, device.Year);
        Assert.Equal(soc.Name, device.Soc);
        Assert.Equal(phone.Family, device.Family);
        Assert.False(device.Inferred);
        Assert.StartsWith($"catalogue:phone:{model} ", device.Source);
    }

    [Fact]
    public void the_catalogue_covers_galaxy_s7_to_s23_a10_to_a54_the_m_series_and_pixels()
    {
        var names = Catalogue.Phones.Select(p => p.Name).ToHashSet();
        foreach (var s in new[] { "S7", "S8", "S9", "S10", "S20 5G", "S21 5G", "S22", "S23" }) Assert.Contains($"Galaxy {s}", names);
        foreach (var a in new[] { "A10", "A20", "A30", "A50", "A51", "A52", "A53 5G", "A54 5G" }) Assert.Contains($"Galaxy {a}", names);
        Assert.True(Catalogue.Phones.Count(p => p.Family == "Galaxy M") >= 15);
        Assert.True(Catalogue.Phones.Count(p => p.Family == "Pixel") >= 15);
        foreach (var generation in new[] { "8 Gen 1", "8 Gen 2", "8 Gen 3" }) Assert.Contains(Catalogue.Socs, s => s.Name == $"Snapdragon {generation}");
        foreach (var vendor in new[] { "Qualcomm", "Samsung", "MediaTek", "Google", "HiSilicon" }) Assert.Contains(Catalogue.Socs, s => s.Vendor == vendor);
        Assert.Equal(["high", "low", "mid"], Catalogue.Socs.Select(s => s.Tier).Distinct().Order());
    }

    [Fact]
    public void regional_variants_of_one_phone_have_different_socs()
    {
        var exynos = Catalogue.Classify("a", new DeviceProperties { Manufacturer = "samsung", Model = "SM-G991B" }, At);
        var snapdragon = Catalogue.Classify("b", new DeviceProperties { Manufacturer = "samsung", Model = "SM-G991U" }, At);
        Assert.Equal("Exynos 2100", exynos.Soc);
        Assert.Equal("Snapdragon 888", snapdragon.Soc);
        Assert.Equal(("Galaxy S", 2021, "high"), (exynos.Family, exynos.Year, exynos.Tier));
        Assert.Equal(("Galaxy S", 2021, "high"), (snapdragon.Family, snapdragon.Year, snapdragon.Tier));
        Assert.Equal("Exynos 2200", Catalogue.Classify("c", new DeviceProperties { Model = "SM-S901B" }, At).Soc);
        Assert.Equal("Snapdragon 8 Gen 1", Catalogue.Classify("d", new DeviceProperties { Model = "SM-S901U" }, At).Soc);
        Assert.Equal("Exynos 1330", Catalogue.Classify("e", new DeviceProperties { Model = "SM-A146B" }, At).Soc);
        Assert.Equal("Dimensity 700", Catalogue.Classify("f", new DeviceProperties { Model = "SM-A146U" }, At).Soc);
    }

    [Fact]
    public void a_regional_suffix_after_a_slash_still_names_the_model()
    {
        var device = Catalogue.Classify("d", new DeviceProperties { Manufacturer = "samsung", Model = "SM-A505FN/DS" }, At);
        Assert.Equal("Exynos 9610", device.Soc);
        Assert.Equal("mid", device.Tier);
    }

    [Fact]
    public void tiers_follow_the_phone_classes()
    {
        Assert.Equal("low", Catalogue.Classify("a10", new DeviceProperties { Model = "SM-A105F" }, At).Tier);
        Assert.Equal("mid", Catalogue.Classify("a50", new DeviceProperties { Model = "SM-A505F" }, At).Tier);
        Assert.Equal("high", Catalogue.Classify("s10", new DeviceProperties { Model = "SM-G973F" }, At).Tier);
    }

    [Fact]
    public void a_pixel_is_found_by_its_codename()
    {
        var device = Catalogue.Classify("p", new DeviceProperties { Manufacturer = "Google", Device = "panther" }, At);
        Assert.Equal("Google Tensor G2", device.Soc);
        Assert.Equal("Pixel", device.Family);
        Assert.Equal(2022, device.Year);
        Assert.Contains("ro.product.device=panther", device.Source);
    }

    [Fact]
    public void a_model_of_another_manufacturer_does_not_match()
    {
        var device = Catalogue.Classify("x", new DeviceProperties { Manufacturer = "Xiaomi", Model = "Pixel 6", SocModel = "SM8450" }, At);
        Assert.StartsWith("catalogue:soc:snapdragon-8-gen-1 ", device.Source);
    }

    [Theory]
    [InlineData("SM8350", null, null, null, "Snapdragon 888", "high", 2020)]
    [InlineData(null, "kalama", "qcom", null, "Snapdragon 8 Gen 2", "high", 2022)]
    [InlineData(null, "sdm845", "qcom", null, "Snapdragon 845", "high", 2017)]
    [InlineData(null, null, "qcom", "Qualcomm Technologies, Inc SM8150", "Snapdragon 855", "high", 2018)]
    [InlineData("MT6893", "mt6893", "mt6893", null, "Dimensity 1200", "high", 2021)]
    [InlineData(null, "exynos9810", "samsungexynos9810", null, "Exynos 9810", "high", 2018)]
    [InlineData(null, "universal7884", "exynos7884", null, "Exynos 7884", "low", 2018)]
    [InlineData("Tensor", "gs101", "oriole", null, "Google Tensor", "high", 2021)]
    [InlineData(null, "kirin970", "kirin970", null, "Kirin 970", "high", 2017)]
    [InlineData(null, "sm6150", "qcom", null, "Snapdragon 675 / Snapdragon 678 / Snapdragon 730 / Snapdragon 730G / Snapdragon 732G", "mid", null)]
    [InlineData(null, null, "MT6765V/WB", null, "Helio P35 / Helio G35", "low", null)]
    public void an_unknown_phone_is_classified_by_its_soc(string? socModel, string? platform, string? hardware, string? cpuinfo, string soc, string tier, int? year)
    {
        var device = Catalogue.Classify("u", new DeviceProperties { Manufacturer = "Acme", Model = "Acme One", SocModel = socModel, BoardPlatform = platform, Hardware = hardware, CpuinfoHardware = cpuinfo }, At);
        Assert.Equal(soc, device.Soc);
        Assert.Equal(tier, device.Tier);
        Assert.Equal(year, device.Year);
        Assert.False(device.Inferred);
        Assert.StartsWith("catalogue:soc:", device.Source);
    }

    [Fact]
    public void a_platform_shared_by_socs_of_different_tiers_decides_nothing_and_the_rule_takes_over()
    {
        // lahaina is both Snapdragon 888 (high) and 778G (mid).
        var device = Catalogue.Classify("u", new DeviceProperties { BoardPlatform = "lahaina", Hardware = "qcom", RamMb = 8192, BigCoreMaxMhz = 2400 }, At);
        Assert.True(device.Inferred);
        Assert.Equal("mid", device.Tier);
        Assert.StartsWith("rule:ram+big-core-frequency", device.Source);
    }

    [Theory]
    [InlineData("SM8635", "high")]
    [InlineData("SM7635", "mid")]
    [InlineData("SM4635", "low")]
    [InlineData("Exynos 2500", "high")]
    [InlineData("Exynos 1480", "mid")]
    [InlineData("Dimensity 9400", "high")]
    [InlineData("Dimensity 7050", "mid")]
    [InlineData("Dimensity 6100+", "low")]
    [InlineData("Helio G88", "mid")]
    [InlineData("Helio G36", "low")]
    [InlineData("Tensor G4", "high")]
    [InlineData("Kirin 9000S", "high")]
    [InlineData("Kirin 710A", "mid")]
    public void an_unknown_soc_gets_the_tier_of_its_class_flagged_inferred(string socModel, string tier)
    {
        var device = Catalogue.Classify("u", new DeviceProperties { SocModel = socModel, RamMb = 2048, BigCoreMaxMhz = 1800 }, At);
        Assert.Equal(tier, device.Tier);
        Assert.True(device.Inferred);
        Assert.Null(device.Year);
        Assert.StartsWith("rule:soc-class", device.Source);
    }

    [Theory]
    [InlineData(12288L, 3000, "high", "rule:ram+big-core-frequency")]
    [InlineData(12288L, 2000, "low", "rule:ram+big-core-frequency")]
    [InlineData(6144L, 2600, "mid", "rule:ram+big-core-frequency")]
    [InlineData(3072L, null, "low", "rule:ram")]
    [InlineData(8192L, null, "high", "rule:ram")]
    [InlineData(null, 2900, "high", "rule:big-core-frequency")]
    [InlineData(null, null, "low", "rule:no-evidence")]
    public void a_device_with_no_known_soc_is_tiered_by_ram_and_big_core_frequency(long? ramMb, int? mhz, string tier, string source)
    {
        var device = Catalogue.Classify("u", new DeviceProperties { SocModel = "UNKNOWN-T606", RamMb = ramMb, BigCoreMaxMhz = mhz }, At);
        Assert.Equal(tier, device.Tier);
        Assert.True(device.Inferred);
        Assert.StartsWith(source, device.Source);
    }

    [Fact]
    public void getprop_values_and_core_frequencies_fill_the_properties()
    {
        var props = new Dictionary<string, string>
        {
            ["ro.product.manufacturer"] = "samsung", ["ro.product.model"] = "SM-G991B", ["ro.soc.model"] = "Exynos 2100",
            ["ro.board.platform"] = "exynos2100", ["ro.build.version.sdk"] = "33", ["ro.product.cpu.abi"] = "arm64-v8a", ["ro.serialno"] = "R5CR10ABCDE",
        };
        var device = DeviceProperties.FromGetprop(props)
            .WithCoreMaxFrequencies([2002000, 2002000, 2002000, 2002000, 2808000, 2808000, 2808000, 2912000]) with { RamMb = 7680 };
        Assert.Equal((8, 4, 4, 2912), (device.Cores, device.LittleCores, device.BigCores, device.BigCoreMaxMhz));
        var registered = Catalogue.Classify("samsung-SM-G991B-R5CR10ABCDE", device, At);
        Assert.Equal(33, registered.Sdk);
        Assert.Equal("arm64-v8a", registered.Abi);
        Assert.Equal("R5CR10ABCDE", registered.Serial);
        Assert.Equal(7680, registered.RamMb);
        Assert.Equal("Exynos 2100", registered.Soc);
        Assert.Equal(At, registered.At);
    }

    [Theory]
    [InlineData("{\"version\":1,\"socs\":[{\"id\":\"a\",\"name\":\"A\",\"vendor\":\"V\",\"tier\":\"top\",\"year\":2020}],\"phones\":[]}", "tier 'top'")]
    [InlineData("{\"version\":1,\"socs\":[],\"phones\":[{\"model\":\"M\",\"name\":\"N\",\"manufacturer\":\"x\",\"family\":\"F\",\"year\":2020,\"soc\":\"nope\"}]}", "unknown SoC 'nope'")]
    [InlineData("{\"version\":1,\"socs\":[{\"id\":\"a\",\"name\":\"A\",\"vendor\":\"V\",\"tier\":\"low\",\"year\":2020},{\"id\":\"a\",\"name\":\"B\",\"vendor\":\"V\",\"tier\":\"low\",\"year\":2020}],\"phones\":[]}", "listed twice")]
    [InlineData("{\"version\":2,\"socs\":[],\"phones\":[]}", "version 2")]
    public void a_broken_catalogue_is_refused(string json, string problem)
    {
        var e = Assert.ThrowsAny<Exception>(() => DeviceCatalogue.Load(json));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void a_catalogue_entry_with_an_unknown_field_is_refused()
    {
        var json = "{\"version\":1,\"socs\":[{\"id\":\"a\",\"name\":\"A\",\"vendor\":\"V\",\"tier\":\"low\",\"year\":2020,\"teir\":\"x\"}],\"phones\":[]}";
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => DeviceCatalogue.Load(json));
    }
}

public class HostDeviceTests
{
    [Fact]
    public void an_x86_host_reports_its_cpu_model_cores_and_ram()
    {
        const string cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\nphysical id\t: 0\ncore id\t\t: 0\n\n" +
            "processor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\nphysical id\t: 0\ncore id\t\t: 0\n\n";
        const string meminfo = "MemTotal:       25165824 kB\nMemFree:         1234 kB\n";
        var host = HostDevice.Describe(cpuinfo, meminfo, [], DateTimeOffset.UnixEpoch);
        Assert.Equal("host", host.DeviceId);
        Assert.Equal("host", host.Tier);
        Assert.Equal("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", host.CpuModel);
        Assert.Equal("GenuineIntel", host.Manufacturer);
        Assert.Equal(2, host.Cores);
        Assert.Equal(24576, host.RamMb);
        Assert.Contains("1 physical cores", host.Source);
        Assert.False(host.Inferred);
    }

    [Fact]
    public void an_arm_host_reports_the_hardware_line_printed_after_the_processors()
    {
        const string cpuinfo = "processor\t: 0\nBogoMIPS\t: 38.40\nCPU implementer\t: 0x41\nCPU part\t: 0xd0b\n\n" +
            "processor\t: 1\nBogoMIPS\t: 38.40\nCPU implementer\t: 0x41\nCPU part\t: 0xd0b\n\nHardware\t: Qualcomm Technologies, Inc SM8150\n";
        var host = HostDevice.Describe(cpuinfo, "MemTotal: 7812500 kB\n", [1785600, 2841600], DateTimeOffset.UnixEpoch);
        Assert.Equal("Qualcomm Technologies, Inc SM8150", host.CpuModel);
        Assert.Equal(2, host.Cores);
        Assert.Equal(2841, host.BigCoreMaxMhz);
        Assert.Equal(7629, host.RamMb);
    }

    [Fact]
    public void this_machine_describes_itself_from_proc()
    {
        var host = HostDevice.Describe(TimeProvider.System);
        Assert.Equal("host", host.Tier);
        Assert.True(host.Cores >= Environment.ProcessorCount); // a container may be given fewer CPUs than the machine has
        Assert.NotNull(host.CpuModel);
        Assert.True(host.RamMb > 0);
    }
}
