using System.Diagnostics;
using GaugeNN.Measure.Adb;
using GaugeNN.Tests.Shared;
using Xunit;

namespace GaugeNN.Measure.Adb.Tests;

/// <summary>
/// The test phone of tools/test-device.sh, brought up once for the device tests (or found up). Building it needs root
/// and Debian's tools; where that cannot be, <see cref="DeviceFactAttribute"/> skips with the reason. Where it can, a
/// failure to come up fails the tests: nothing is skipped silently.
/// </summary>
public sealed class TestDevice : IAsyncLifetime
{
    public static string Script => Path.Combine(RepositoryRoot.Path, "tools", "test-device.sh");
    public static string Profile => Path.Combine(RepositoryRoot.Path, "tools", "device", "profiles", "galaxy-s21-exynos");

    /// <summary>Why the chroot cannot be built here, or null when it can.</summary>
    public static string? CannotBuild { get; } = FindReason();

    public string Serial { get; private set; } = "";
    public AdbClient Client { get; } = new();
    public AdbDeviceClient Device => Client.Device(Serial);

    public async Task InitializeAsync()
    {
        if (CannotBuild is not null) return;
        (int code, string stdout, string stderr) = await Run(Script, "up");
        if (code != 0) throw new InvalidOperationException($"tools/test-device.sh up failed ({code}): {stderr}");
        Serial = stdout.TrimEnd().Split('\n')[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask; // left up for the next run; `tools/test-device.sh down` stops it

    public static async Task<(int Code, string Stdout, string Stderr)> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    private static string? FindReason()
    {
        if (!OperatingSystem.IsLinux()) return "the test device is a Linux chroot; this is not Linux";
        if (Environment.UserName != "root") return $"building the test device's chroot needs root (debootstrap, chroot, mounts); running as {Environment.UserName}";
        bool has(string tool) => new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Any(d => File.Exists(Path.Combine(d, tool)));
        if (!has("debootstrap") && !has("apt-get")) return "neither debootstrap nor apt-get (to install it) is on this machine";
        return null;
    }
}

[CollectionDefinition(Name)]
public sealed class DeviceCollection : ICollectionFixture<TestDevice>
{
    public const string Name = "test device";
}

/// <summary>A fact that needs the test device; skipped, with the reason, only where its chroot cannot be built.</summary>
public sealed class DeviceFactAttribute : FactAttribute
{
    public DeviceFactAttribute()
    {
        if (TestDevice.CannotBuild is { } reason) Skip = $"test device unavailable: {reason}";
    }
}
