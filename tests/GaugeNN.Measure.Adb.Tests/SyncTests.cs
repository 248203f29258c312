using System.Security.Cryptography;

namespace GaugeNN.Measure.Adb.Tests;

[Collection(DeviceCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SyncTests(TestDevice device) : IDisposable
{
    private readonly string local = Directory.CreateTempSubdirectory("gaugenn-adb-sync-").FullName;
    private readonly string remote = $"/data/local/tmp/gaugenn-sync-{Guid.NewGuid():N}";

    public void Dispose() => Directory.Delete(local, recursive: true);

    [DeviceFact]
    public async Task push_and_pull_of_50_MB_are_byte_identical()
    {
        string source = Path.Combine(local, "big.bin"), back = Path.Combine(local, "back.bin");
        byte[] bytes = new byte[50 * 1000 * 1000 + 12345]; // not a multiple of the 64 KiB chunk
        new Random(13).NextBytes(bytes);
        await File.WriteAllBytesAsync(source, bytes);
        await device.Device.ShellAsync($"mkdir -p {remote}");
        try
        {
            Assert.Equal(bytes.Length, await device.Device.PushAsync(source, $"{remote}/big.bin"));
            // The device's own sha256sum sees what was sent.
            AdbShellResult sum = await device.Device.ShellAsync($"sha256sum {remote}/big.bin");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sum.StdoutText.Split(' ')[0]);
            Assert.Equal(bytes.Length, await device.Device.PullAsync($"{remote}/big.bin", back));
            Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(back)));
        }
        finally
        {
            await device.Device.ShellAsync($"rm -rf {remote}");
        }
    }

    [DeviceFact]
    public async Task stat_reports_the_pushed_mode_size_and_mtime_and_null_for_a_missing_file()
    {
        string source = Path.Combine(local, "runner.sh");
        await File.WriteAllTextAsync(source, "#!/bin/sh\necho ran\n");
        File.SetUnixFileMode(source, (UnixFileMode)0x1ED); // 0755
        var mtime = new DateTimeOffset(2021, 1, 29, 12, 0, 0, TimeSpan.Zero);
        File.SetLastWriteTimeUtc(source, mtime.UtcDateTime);
        await device.Device.ShellAsync($"mkdir -p {remote}");
        try
        {
            await device.Device.PushAsync(source, $"{remote}/runner.sh");
            AdbFileInfo? stat = await device.Device.StatAsync($"{remote}/runner.sh");
            Assert.NotNull(stat);
            Assert.True(stat.IsRegularFile);
            // adbd copies the owner's bits to group and others (file_sync_service.cpp send_impl): 0755 lands as 0777.
            Assert.Equal((UnixFileMode)0x1FF, stat.Permissions);
            Assert.Equal((uint)new FileInfo(source).Length, stat.Size);
            Assert.Equal(mtime, stat.Modified);
            Assert.Equal("ran\n", (await device.Device.ShellAsync($"{remote}/runner.sh")).StdoutText);
            Assert.True((await device.Device.StatAsync(remote))!.IsDirectory);
            Assert.Null(await device.Device.StatAsync($"{remote}/absent"));
        }
        finally
        {
            await device.Device.ShellAsync($"rm -rf {remote}");
        }
    }

    [DeviceFact]
    public async Task list_gives_every_entry_with_its_size_as_ls_does()
    {
        await device.Device.ShellAsync($"mkdir -p {remote}/sub && printf 12345 > {remote}/five && : > {remote}/empty");
        try
        {
            IReadOnlyList<AdbFileInfo> entries = await device.Device.ListAsync(remote);
            Assert.Equal(["empty", "five", "sub"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
            Assert.Equal(5u, entries.Single(e => e.Name == "five").Size);
            Assert.True(entries.Single(e => e.Name == "sub").IsDirectory);
            Assert.Equal("empty\nfive\nsub\n", (await device.Device.ShellAsync($"ls {remote}")).StdoutText);
        }
        finally
        {
            await device.Device.ShellAsync($"rm -rf {remote}");
        }
    }

    [DeviceFact]
    public async Task one_sync_session_carries_several_operations_and_a_fail_ends_it()
    {
        await using AdbSyncSession sync = await device.Device.OpenSyncAsync();
        using (var data = new MemoryStream("abc"u8.ToArray()))
            Assert.Equal(3, await sync.PushAsync(data, $"{remote}.txt", (UnixFileMode)0x1A4, DateTimeOffset.UnixEpoch.AddYears(40)));
        Assert.Equal(3u, (await sync.StatAsync($"{remote}.txt"))!.Size);
        using var back = new MemoryStream();
        Assert.Equal(3, await sync.PullAsync($"{remote}.txt", back));
        Assert.Equal("abc"u8.ToArray(), back.ToArray());
        var e = await Assert.ThrowsAsync<AdbException>(() => sync.PullAsync($"{remote}.absent", new MemoryStream()));
        Assert.Equal(AdbErrorKind.Failed, e.Kind);
        Assert.Contains("No such file", e.Received);
        await Assert.ThrowsAsync<AdbException>(() => sync.StatAsync($"{remote}.txt"));
        await device.Device.ShellAsync($"rm -f {remote}.txt");
    }

    [DeviceFact]
    public async Task a_push_the_device_refuses_says_why()
    {
        await using AdbSyncSession sync = await device.Device.OpenSyncAsync();
        // A regular file cannot be a folder on the way to another file.
        var e = await Assert.ThrowsAsync<AdbException>(() =>
            sync.PushAsync(new MemoryStream(new byte[100_000]), "/etc/hostname/below", (UnixFileMode)0x1A4, DateTimeOffset.UtcNow));
        Assert.Equal(AdbErrorKind.Failed, e.Kind);
        Assert.StartsWith("FAIL \"", e.Received);
    }
}
