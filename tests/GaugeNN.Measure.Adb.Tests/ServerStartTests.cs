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
}
