using System.Net;
using System.Net.Sockets;

namespace GaugeNN.Measure.Adb.Tests;

public sealed class ServerStartTests
{
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task without_adb_the_error_says_how_to_install_it()
    {
        var client = new AdbClient(new AdbClientOptions
        {
            Endpoint = AdbServerEndpoint.Parse($"tcp:127.0.0.1:{FreePort()}"),
            AdbExecutable = "/nonexistent/platform-tools/adb",
        });
        var e = await Assert.ThrowsAsync<AdbException>(() => client.GetServerVersionAsync());
        Assert.Equal(AdbErrorKind.ServerUnavailable, e.Kind);
        Assert.Contains("apt-get install adb", e.Received);
    }

    [Fact]
    public async Task with_starting_turned_off_a_missing_server_is_reported_not_started()
    {
        var client = new AdbClient(new AdbClientOptions { Endpoint = AdbServerEndpoint.Parse($"tcp:{FreePort()}"), StartServer = false });
        var e = await Assert.ThrowsAsync<AdbException>(() => client.GetDevicesAsync());
        Assert.Equal(AdbErrorKind.ServerUnavailable, e.Kind);
    }

    [DeviceFact]
    public async Task when_no_server_answers_adb_start_server_is_run_on_that_port()
    {
        // A server of its own on a free port, so the shared one on 5037 is left alone; killed at the end.
        int port = FreePort();
        var client = new AdbClient(new AdbClientOptions { Endpoint = AdbServerEndpoint.Parse($"tcp:127.0.0.1:{port}") });
        try
        {
            Assert.True(await client.GetServerVersionAsync() > 0);
            // A new server knows no `adb connect` of the other one.
            Assert.DoesNotContain(await client.GetDevicesAsync(), d => d.Serial.Contains(':', StringComparison.Ordinal));
        }
        finally
        {
            await TestDevice.Run("adb", "-P", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "kill-server");
        }
    }

    [DeviceFact]
    public async Task tracking_survives_the_server_being_killed_by_starting_a_new_one()
    {
        int port = FreePort();
        string portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var client = new AdbClient(new AdbClientOptions { Endpoint = AdbServerEndpoint.Parse($"tcp:127.0.0.1:{port}") });
        string device = $"localhost:{TestDeviceSerialPort()}";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await client.GetServerVersionAsync(cts.Token); // starts the server on that port
            await using IAsyncEnumerator<AdbDeviceChange> changes = client.TrackDevicesAsync(cts.Token).GetAsyncEnumerator(cts.Token);
            Task<bool> next = changes.MoveNextAsync().AsTask();
            await TestDevice.Run("adb", "-P", portText, "kill-server");
            // The tracker finds no server, starts one, and reports what that one sees.
            await WaitUntilAsync(async () => (await TestDevice.Run("adb", "-P", portText, "connect", device)).Stdout.Contains("connected", StringComparison.Ordinal), cts.Token);
            while (true)
            {
                Assert.True(await next);
                if (changes.Current.Device.Serial == device && changes.Current.Kind != AdbDeviceChangeKind.Left) break;
                next = changes.MoveNextAsync().AsTask();
            }
            Assert.True(await client.GetServerVersionAsync(cts.Token) > 0);
        }
        finally
        {
            await TestDevice.Run("adb", "-P", portText, "kill-server");
        }
    }

    private static string TestDeviceSerialPort() => Environment.GetEnvironmentVariable("GAUGENN_TEST_DEVICE_PORT") ?? "5555";

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        while (!await condition()) await Task.Delay(200, ct);
    }
}
