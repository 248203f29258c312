namespace GaugeNN.Measure.Adb.Tests;

public sealed class ParsingTests
{
    [Fact]
    public void long_device_lines_give_serial_state_and_fields()
    {
        IReadOnlyList<AdbDevice> devices = AdbDeviceList.Parse(
            "R5CR10ABCDE            device usb:1-1 product:o1sxeea model:SM_G991B device:o1s transport_id:3\n" +
            "127.0.0.1:5555         device transport_id:2\n" +
            "emulator-5554          offline transport_id:1\n");
        Assert.Equal(new AdbDevice("R5CR10ABCDE", AdbDeviceState.Device, "device", "1-1", "o1sxeea", "SM_G991B", "o1s", 3), devices[0]);
        Assert.Equal(new AdbDevice("127.0.0.1:5555", AdbDeviceState.Device, "device", null, null, null, null, 2), devices[1]);
        Assert.Equal(AdbDeviceState.Offline, devices[2].State);
    }

    [Fact]
    public void short_lines_keep_a_serial_with_spaces_and_no_permissions_keeps_its_explanation()
    {
        IReadOnlyList<AdbDevice> devices = AdbDeviceList.Parse(
            "(no serial number)\tunauthorized\n" +
            "0123456789ABCDEF       no permissions (missing udev rules? user is in the plugdev group); see [http://developer.android.com/tools/device.html] usb:1-4 transport_id:7\n");
        Assert.Equal("(no serial number)", devices[0].Serial);
        Assert.Equal(AdbDeviceState.Unauthorized, devices[0].State);
        Assert.Equal(AdbDeviceState.NoPermissions, devices[1].State);
        Assert.StartsWith("no permissions (missing udev rules?", devices[1].StateText);
        Assert.EndsWith("device.html]", devices[1].StateText);
        Assert.Equal("1-4", devices[1].UsbPath);
        Assert.Equal(7, devices[1].TransportId);
    }

    [Theory]
    [InlineData("lonely-serial\n", "line 1 ")]
    [InlineData("A device\nB device transport_id:x\n", "line 2 ")]
    [InlineData("\nA device notafield\n", "line 2 ")]
    public void a_malformed_device_line_is_refused_with_its_number(string text, string start)
    {
        var e = Assert.Throws<AdbException>(() => AdbDeviceList.Parse(text));
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.StartsWith(start, e.Received);
    }

    [Fact]
    public void an_empty_list_is_no_devices() => Assert.Empty(AdbDeviceList.Parse(""));

    [Fact]
    public void diff_names_arrivals_departures_and_state_changes()
    {
        var before = AdbDeviceList.Parse("A\tdevice\nB\toffline\n");
        var after = AdbDeviceList.Parse("B\tdevice\nC\tunauthorized\n");
        Assert.Equal(
            [(AdbDeviceChangeKind.StateChanged, "B", (AdbDeviceState?)AdbDeviceState.Offline), (AdbDeviceChangeKind.Arrived, "C", null), (AdbDeviceChangeKind.Left, "A", AdbDeviceState.Device)],
            AdbDeviceList.Diff(before, after).Select(c => (c.Kind, c.Device.Serial, c.Previous)));
        Assert.Empty(AdbDeviceList.Diff(after, after));
    }

    [Fact]
    public void getprop_output_gives_keys_values_and_multiline_values()
    {
        var props = GetpropOutput.Parse("[ro.product.model]: [SM-G991B]\n[empty]: []\n[multi]: [line one\nline two]\n[x.y]: [a]: [b]\n");
        Assert.Equal("SM-G991B", props["ro.product.model"]);
        Assert.Equal("", props["empty"]);
        Assert.Equal("line one\nline two", props["multi"]);
        Assert.Equal("a]: [b", props["x.y"]);
    }

    [Theory]
    [InlineData("ro.x=1\n", "line 1 ")]
    [InlineData("[a]: [1]\n[b]: [never closed\n", "line 2 ")]
    public void getprop_output_that_is_not_getprop_is_refused_with_its_line(string text, string start)
    {
        var e = Assert.Throws<AdbException>(() => GetpropOutput.Parse(text));
        Assert.Equal(AdbErrorKind.MalformedOutput, e.Kind);
        Assert.StartsWith(start, e.Received);
    }

    [Fact]
    public void server_endpoint_follows_adbs_environment_variables()
    {
        Assert.Equal("tcp:127.0.0.1:5037", AdbServerEndpoint.FromEnvironment(_ => null).Spec);
        Assert.Equal("tcp:127.0.0.1:5038", AdbServerEndpoint.FromEnvironment(n => n == "ANDROID_ADB_SERVER_PORT" ? "5038" : null).Spec);
        AdbServerEndpoint socket = AdbServerEndpoint.FromEnvironment(n => n switch
        {
            "ADB_SERVER_SOCKET" => "tcp:localhost:6000", "ANDROID_ADB_SERVER_PORT" => "5038", _ => null,
        });
        Assert.Equal("tcp:localhost:6000", socket.Spec);
        Assert.Equal("tcp:6000", socket.StartSpec);
        Assert.Equal("tcp:5039", AdbServerEndpoint.Parse("tcp:5039").StartSpec);
        Assert.Null(AdbServerEndpoint.Parse("tcp:10.1.2.3:5037").StartSpec); // another machine's server is not started here
        Assert.Equal("localfilesystem:/tmp/adb.sock", AdbServerEndpoint.Parse("localfilesystem:/tmp/adb.sock").StartSpec);
        Assert.Throws<ArgumentException>(() => AdbServerEndpoint.FromEnvironment(n => n == "ANDROID_ADB_SERVER_PORT" ? "70000" : null));
        Assert.Throws<ArgumentException>(() => AdbServerEndpoint.Parse("udp:5037"));
    }

    [Fact]
    public void quoting_an_argument_survives_single_quotes()
    {
        Assert.Equal("'plain'", AdbDeviceClient.Quote("plain"));
        Assert.Equal("'it'\\''s'", AdbDeviceClient.Quote("it's"));
    }
}
