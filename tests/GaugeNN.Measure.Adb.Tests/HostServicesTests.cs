using System.Text.RegularExpressions;

namespace GaugeNN.Measure.Adb.Tests;

[Collection(DeviceCollection.Name)]
public sealed class HostServicesTests(TestDevice device)
{
    [DeviceFact]
    public async Task server_version_is_the_one_adb_version_prints()
    {
        (int code, string stdout, _) = await TestDevice.Run("adb", "version");
        Assert.Equal(0, code);
        // "Android Debug Bridge version 1.0.41": the last number is the server's internal version.
        int expected = int.Parse(Regex.Match(stdout, @"Android Debug Bridge version \d+\.\d+\.(\d+)").Groups[1].Value);
        Assert.Equal(expected, await device.Client.GetServerVersionAsync());
    }

    [DeviceFact]
    public async Task devices_lists_the_test_device_as_adb_devices_does()
    {
        IReadOnlyList<AdbDevice> devices = await device.Client.GetDevicesAsync();
        AdbDevice ours = Assert.Single(devices, d => d.Serial == device.Serial);
        Assert.Equal(AdbDeviceState.Device, ours.State);
        Assert.NotNull(ours.TransportId);
        (_, string stdout, _) = await TestDevice.Run("adb", "devices", "-l");
        Assert.Matches($@"(?m)^{Regex.Escape(device.Serial)}\s+device\b.*transport_id:{ours.TransportId}\b", stdout);
    }

    [DeviceFact]
    public async Task track_devices_sees_a_device_connect_and_disconnect()
    {
        // A second transport to the same adbd ("localhost:PORT") comes and goes; the test device's own stays up.
        string port = device.Serial.Split(':')[1], other = $"localhost:{port}";
        await device.Client.DisconnectDeviceAsync(other).ContinueWith(_ => { }); // absent already is fine
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using IAsyncEnumerator<AdbDeviceChange> changes = device.Client.TrackDevicesAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        // First the devices already there, our serial among them.
        Assert.True(await changes.MoveNextAsync());
        var seen = new List<AdbDeviceChange> { changes.Current };
        while (!seen.Any(c => c.Device.Serial == device.Serial))
        {
            Assert.True(await changes.MoveNextAsync());
            seen.Add(changes.Current);
        }
        Assert.All(seen, c => Assert.Equal(AdbDeviceChangeKind.Arrived, c.Kind));

        (int code, string said, _) = await TestDevice.Run("adb", "connect", other);
        Assert.True(code == 0, said);
        AdbDeviceChange arrived = await Next(changes, c => c.Device.Serial == other);
        Assert.Equal(AdbDeviceChangeKind.Arrived, arrived.Kind);
        if (arrived.Device.State != AdbDeviceState.Device)
        {
            AdbDeviceChange ready = await Next(changes, c => c.Device.Serial == other && c.Device.State == AdbDeviceState.Device);
            Assert.Equal(AdbDeviceChangeKind.StateChanged, ready.Kind);
        }

        (code, said, _) = await TestDevice.Run("adb", "disconnect", other);
        Assert.True(code == 0, said);
        AdbDeviceChange left = await Next(changes, c => c.Device.Serial == other && c.Kind == AdbDeviceChangeKind.Left);
        Assert.Equal(AdbDeviceState.Device, left.Previous);
        Assert.Contains(await device.Client.GetDevicesAsync(), d => d.Serial == device.Serial && d.State == AdbDeviceState.Device);
    }

    [DeviceFact]
    public async Task wait_for_device_returns_once_the_device_is_attached()
    {
        string other = $"localhost:{device.Serial.Split(':')[1]}";
        await device.Client.DisconnectDeviceAsync(other).ContinueWith(_ => { });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<AdbDevice> waiting = device.Client.WaitForDeviceAsync(other, cts.Token);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        Assert.StartsWith("connected to", await device.Client.ConnectDeviceAsync(other));
        AdbDevice attached = await waiting;
        Assert.Equal(AdbDeviceState.Device, attached.State);
        await device.Client.DisconnectDeviceAsync(other);
    }

    [DeviceFact]
    public async Task features_of_trixie_adbd_include_shell_v2()
    {
        IReadOnlySet<string> features = await device.Device.GetFeaturesAsync();
        Assert.Contains("shell_v2", features);
        Assert.Contains("cmd", features);
        Assert.Equal(AdbShellProtocol.V2, await device.Device.ShellProtocolAsync());
    }

    [DeviceFact]
    public async Task an_unknown_serial_is_a_device_unavailable_error()
    {
        var e = await Assert.ThrowsAsync<AdbException>(() => device.Client.Device("no-such-serial").ShellAsync("true"));
        Assert.Equal(AdbErrorKind.DeviceUnavailable, e.Kind);
        Assert.Contains("no-such-serial", e.Received);
    }

    private static async Task<AdbDeviceChange> Next(IAsyncEnumerator<AdbDeviceChange> changes, Func<AdbDeviceChange, bool> wanted)
    {
        while (await changes.MoveNextAsync())
            if (wanted(changes.Current)) return changes.Current;
        throw new InvalidOperationException("tracking ended");
    }
}
