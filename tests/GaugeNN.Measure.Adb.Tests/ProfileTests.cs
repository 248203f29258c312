using System.Globalization;

namespace GaugeNN.Measure.Adb.Tests;

/// <summary>The device profile read the way a phone is read: getprop, sysfs files over sync, dumpsys and input.</summary>
[Collection(DeviceCollection.Name)]
public sealed class ProfileTests(TestDevice device)
{
    [DeviceFact]
    public async Task getprop_through_the_client_gives_every_property_of_the_profile()
    {
        IReadOnlyDictionary<string, string> props = await device.Device.GetPropertiesAsync();
        var expected = File.ReadAllLines(Path.Combine(TestDevice.Profile, "build.prop"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), props.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("samsung", props["ro.product.manufacturer"]);
        Assert.Equal("SM-G991B", props["ro.product.model"]);
        Assert.Equal("exynos2100", props["ro.board.platform"]);
        Assert.Equal("arm64-v8a", props["ro.product.cpu.abi"]);
        Assert.Equal("33", props["ro.build.version.sdk"]);
        AdbShellResult one = await device.Device.ShellAsync("getprop ro.soc.model; getprop ro.absent; getprop ro.absent fallback");
        Assert.Equal("Exynos 2100\n\nfallback\n", one.StdoutText);
    }

    [DeviceFact]
    public async Task thermal_zones_have_a_type_and_a_temperature_in_millidegrees()
    {
        IReadOnlyList<AdbFileInfo> zones = (await device.Device.ListAsync("/sys/class/thermal"))
            .Where(e => e.Name.StartsWith("thermal_zone", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, zones.Count);
        var types = new List<string>();
        foreach (AdbFileInfo zone in zones)
        {
            types.Add((await device.Device.ReadTextAsync($"/sys/class/thermal/{zone.Name}/type"))!);
            int milli = int.Parse((await device.Device.ReadTextAsync($"/sys/class/thermal/{zone.Name}/temp"))!, CultureInfo.InvariantCulture);
            Assert.InRange(milli, 20_000, 110_000);
        }
        Assert.Equal(["BIG", "G3D", "ISP", "LITTLE", "MID", "NPU", "battery"], types.Order(StringComparer.Ordinal));
    }

    [DeviceFact]
    public async Task battery_reports_discharge_as_negative_microamps_and_microvolts()
    {
        const string b = "/sys/class/power_supply/battery";
        Assert.Equal("Discharging", await device.Device.ReadTextAsync($"{b}/status"));
        int current = int.Parse((await device.Device.ReadTextAsync($"{b}/current_now"))!, CultureInfo.InvariantCulture);
        int voltage = int.Parse((await device.Device.ReadTextAsync($"{b}/voltage_now"))!, CultureInfo.InvariantCulture);
        int capacity = int.Parse((await device.Device.ReadTextAsync($"{b}/capacity"))!, CultureInfo.InvariantCulture);
        int temp = int.Parse((await device.Device.ReadTextAsync($"{b}/temp"))!, CultureInfo.InvariantCulture);
        Assert.InRange(current, -5_000_000, -1); // µA, negative while discharging
        Assert.InRange(voltage, 3_000_000, 4_400_000); // µV
        Assert.InRange(capacity, 0, 100);
        Assert.InRange(temp, 200, 600); // tenths of °C
    }

    [DeviceFact]
    public async Task cpufreq_policies_give_governors_cpus_and_max_frequencies()
    {
        AdbShellResult r = await device.Device.ShellAsync(
            "for p in /sys/devices/system/cpu/cpufreq/policy*; do echo \"${p##*/} $(cat $p/scaling_governor) $(cat $p/cpuinfo_max_freq) $(cat $p/related_cpus)\"; done");
        Assert.Equal("policy0 schedutil 2210000 0 1 2 3\npolicy4 schedutil 2808000 4 5 6\npolicy7 schedutil 2912000 7\n", r.StdoutText);
        Assert.Equal("2912000", await device.Device.ReadTextAsync("/sys/devices/system/cpu/cpu7/cpufreq/cpuinfo_max_freq"));
    }

    [DeviceFact]
    public async Task screen_state_follows_the_power_key()
    {
        try
        {
            Assert.Contains("mWakefulness=Awake", (await device.Device.ShellAsync("dumpsys power")).StdoutText);
            Assert.Equal(0, (await device.Device.ShellAsync("input keyevent 26")).ExitCode);
            string power = (await device.Device.ShellAsync("dumpsys power")).StdoutText;
            Assert.Contains("mWakefulness=Asleep", power);
            Assert.Contains("Display Power: state=OFF", power);
        }
        finally
        {
            await device.Device.ShellAsync("input keyevent KEYCODE_WAKEUP");
        }
        Assert.Contains("mScreenState=ON", (await device.Device.ShellAsync("dumpsys display")).StdoutText);
    }

    [DeviceFact]
    public async Task fuel_gauge_draws_more_and_zones_warm_while_the_device_is_busy()
    {
        const string sample = "cat /sys/class/power_supply/battery/current_now /sys/class/thermal/thermal_zone0/temp";
        async Task<(double MeanMa, int LastMilliC)> Window(string load)
        {
            // One shell samples at 10 Hz for 3 s while `load` runs beside it on the device.
            AdbShellResult r = await device.Device.ShellAsync(
                $"{load} & p=$!; i=0; while [ $i -lt 30 ]; do {sample}; sleep 0.1; i=$((i+1)); done; kill $p; wait");
            string[] lines = r.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var currents = lines.Where((_, i) => i % 2 == 0).Select(l => -int.Parse(l, CultureInfo.InvariantCulture) / 1000.0).ToList();
            return (currents.Skip(5).Average(), int.Parse(lines[^1], CultureInfo.InvariantCulture));
        }
        (double idleMa, int idleTemp) = await Window("sleep 10");
        (double busyMa, int busyTemp) = await Window("sh -c 'while :; do :; done'");
        Assert.True(busyMa > idleMa + 300, $"busy {busyMa:F0} mA vs idle {idleMa:F0} mA");
        Assert.True(busyTemp > idleTemp + 1000, $"BIG zone {busyTemp} m°C after busy vs {idleTemp} after idle");
    }

    [DeviceFact]
    public async Task the_devices_sys_holds_only_the_profile_not_the_hosts_sysfs()
    {
        Assert.Equal("class\ndevices\n", (await device.Device.ShellAsync("ls /sys")).StdoutText);
        Assert.Equal("battery\n", (await device.Device.ShellAsync("ls /sys/class/power_supply")).StdoutText);
    }
}
