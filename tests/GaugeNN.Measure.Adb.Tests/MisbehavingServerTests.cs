using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace GaugeNN.Measure.Adb.Tests;

/// <summary>
/// A local server that answers wrongly on purpose: every case ends in the typed error, within the read timeout
/// (2 s here); the 10 s guard only proves nothing hangs, it is not a speed limit.
/// </summary>
public sealed class MisbehavingServerTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static async Task<AdbException> Refused(Func<Task> call)
    {
        Task<AdbException> attempt = Assert.ThrowsAsync<AdbException>(call);
        Assert.Same(attempt, await Task.WhenAny(attempt, Task.Delay(Guard)));
        return await attempt;
    }

    [Fact]
    public async Task a_status_cut_short_is_connection_closed_with_the_bytes_that_came()
    {
        await using var server = new FakeAdbServer(async c => { await c.RequestAsync(); await c.SendAsync("OKA"); });
        AdbException e = await Refused(() => server.Client().GetServerVersionAsync());
        Assert.Equal(AdbErrorKind.ConnectionClosed, e.Kind);
        Assert.Equal("host:version", e.Request);
        Assert.Equal("OKAY or FAIL", e.Expected);
        Assert.Equal("\"OKA\" then end of stream (3 of 4 bytes)", e.Received);
    }

    [Fact]
    public async Task a_status_that_is_neither_okay_nor_fail_is_a_protocol_error()
    {
        await using var server = new FakeAdbServer(async c => { await c.RequestAsync(); await c.SendAsync([0x00, 0xff, 0x4f, 0x4b]); await c.SilenceAsync(); });
        AdbException e = await Refused(() => server.Client().GetServerVersionAsync());
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Equal("0x00 0xff 0x4f 0x4b", e.Received);
    }

    [Fact]
    public async Task a_garbage_length_is_a_protocol_error()
    {
        await using var server = new FakeAdbServer(async c => { await c.RequestAsync(); await c.SendAsync("OKAYzz10rest"); await c.SilenceAsync(); });
        AdbException e = await Refused(() => server.Client().GetDevicesAsync());
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Contains("four hex digits", e.Expected);
        Assert.Equal("\"zz10\"", e.Received);
    }

    [Fact]
    public async Task a_payload_shorter_than_its_length_times_out_instead_of_hanging()
    {
        await using var server = new FakeAdbServer(async c => { await c.RequestAsync(); await c.SendAsync("OKAY0010only-9-b"); await c.SilenceAsync(); });
        var clock = Stopwatch.StartNew();
        AdbException e = await Refused(() => server.Client().GetDevicesAsync());
        Assert.Equal(AdbErrorKind.Timeout, e.Kind);
        Assert.Equal("8 of 16 bytes within 2 s", e.Received);
        Assert.True(clock.Elapsed < Guard);
    }

    [Fact]
    public async Task a_server_that_stops_answering_times_out()
    {
        await using var server = new FakeAdbServer(c => c.SilenceAsync());
        AdbException e = await Refused(() => server.Client().GetServerVersionAsync());
        Assert.Equal(AdbErrorKind.Timeout, e.Kind);
        Assert.Equal("nothing within 2 s", e.Received);
    }

    [Fact]
    public async Task a_fail_carries_the_servers_message()
    {
        await using var server = new FakeAdbServer(async c => { await c.RequestAsync(); await c.SendAsync("FAIL0014unknown host service"); });
        AdbException e = await Refused(() => server.Client().GetServerVersionAsync());
        Assert.Equal(AdbErrorKind.Failed, e.Kind);
        Assert.Equal("FAIL \"unknown host service\"", e.Received);
    }

    [Fact]
    public async Task a_device_list_with_a_garbage_line_is_refused_with_its_line_number()
    {
        await using var server = new FakeAdbServer(async c => { await c.RequestAsync(); await c.AnswerAsync("R5CR10 device transport_id:1\n\u0001\u0002garbage\n"); });
        AdbException e = await Refused(() => server.Client().GetDevicesAsync());
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.StartsWith("line 2 ", e.Received);
    }

    private static Func<FakeAdbServer.Connection, Task> Device(Func<FakeAdbServer.Connection, Task> afterService) => async c =>
    {
        await c.RequestAsync(); // host:transport:SERIAL
        await c.SendAsync("OKAY");
        await c.RequestAsync(); // the service
        await c.SendAsync("OKAY");
        await afterService(c);
    };

    private static byte[] Packet(byte id, int length, byte[]? data = null)
    {
        byte[] p = new byte[5 + (data?.Length ?? 0)];
        p[0] = id;
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(1), length);
        data?.CopyTo(p, 5);
        return p;
    }

    [Fact]
    public async Task a_shell_packet_with_an_unknown_id_is_a_protocol_error()
    {
        await using var server = new FakeAdbServer(Device(async c => { await c.SendAsync(Packet(9, 2, "hi"u8.ToArray())); await c.SilenceAsync(); }));
        AdbException e = await Refused(() => server.Client().Device("X").ShellAsync("true", AdbShellMode.V2));
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Equal("id 9 (length 2)", e.Received);
        Assert.Equal(["host:transport:X", "shell,v2,raw:true"], server.Requests);
    }

    [Fact]
    public async Task a_shell_packet_with_a_huge_length_is_refused_before_any_allocation()
    {
        await using var server = new FakeAdbServer(Device(async c => { await c.SendAsync(Packet(1, int.MaxValue)); await c.SilenceAsync(); }));
        AdbException e = await Refused(() => server.Client().Device("X").ShellAsync("true", AdbShellMode.V2));
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Equal("id 1 with length 2147483647", e.Received);
    }

    [Fact]
    public async Task a_shell_that_ends_without_an_exit_packet_is_connection_closed()
    {
        await using var server = new FakeAdbServer(Device(c => c.SendAsync(Packet(1, 3, "out"u8.ToArray()))));
        AdbException e = await Refused(() => server.Client().Device("X").ShellAsync("true", AdbShellMode.V2));
        Assert.Equal(AdbErrorKind.ConnectionClosed, e.Kind);
        Assert.Contains("exit packet", e.Expected);
    }

    [Fact]
    public async Task a_truncated_shell_packet_times_out()
    {
        await using var server = new FakeAdbServer(Device(async c => { await c.SendAsync(Packet(1, 100, new byte[40])); await c.SilenceAsync(); }));
        AdbException e = await Refused(() => server.Client().Device("X").ShellAsync("true", AdbShellMode.V2));
        Assert.Equal(AdbErrorKind.Timeout, e.Kind);
        Assert.Equal("40 of 100 bytes within 2 s", e.Received);
    }

    [Fact]
    public async Task without_shell_v2_in_the_features_the_shell_service_is_used_and_its_trailer_read()
    {
        await using var server = new FakeAdbServer(
            async c => { await c.RequestAsync(); await c.AnswerAsync("cmd,stat_v2,ls_v2"); },
            Device(async c =>
            {
                string request = c.Requests.Last();
                string marker = request[(request.IndexOf("GAUGENN_EXIT_", StringComparison.Ordinal))..request.IndexOf(" \"$?\"", StringComparison.Ordinal)];
                await c.SendAsync($"hello\nerr\n{marker}5\n");
            }));
        AdbShellResult r = await server.Client().Device("X").ShellAsync("echo hello; echo err >&2; exit 5");
        Assert.Equal(AdbShellProtocol.Legacy, r.Protocol);
        Assert.Equal(5, r.ExitCode);
        Assert.Equal("hello\nerr\n", r.StdoutText);
        Assert.Equal("host-serial:X:features", server.Requests[0]);
        Assert.StartsWith("shell:(echo hello; echo err >&2; exit 5\n); printf", server.Requests[2]);
    }

    [Fact]
    public async Task a_shell_fallback_cut_before_its_trailer_is_connection_closed()
    {
        await using var server = new FakeAdbServer(Device(c => c.SendAsync("partial output")));
        AdbException e = await Refused(() => server.Client().Device("X").ShellAsync("true", AdbShellMode.Legacy));
        Assert.Equal(AdbErrorKind.ConnectionClosed, e.Kind);
        Assert.Equal("end of stream without it", e.Received);
    }

    [Fact]
    public async Task a_sync_data_chunk_over_64_KiB_is_a_protocol_error()
    {
        await using var server = new FakeAdbServer(Device(async c =>
        {
            await c.ReadAsync(8 + "/data/x".Length); // RECV /data/x
            byte[] header = new byte[8];
            "DATA"u8.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 70_000);
            await c.SendAsync(header);
            await c.SilenceAsync();
        }));
        await using AdbSyncSession sync = await server.Client().Device("X").OpenSyncAsync();
        AdbException e = await Refused(() => sync.PullAsync("/data/x", new MemoryStream()));
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Equal("DATA of 70000 bytes", e.Received);
    }

    [Fact]
    public async Task a_sync_answer_with_an_unknown_id_shows_its_bytes()
    {
        await using var server = new FakeAdbServer(Device(async c =>
        {
            await c.ReadAsync(8 + "/data/x".Length); // STAT /data/x
            await c.SendAsync([0xde, 0xad, 0xbe, 0xef, 1, 0, 0, 0]);
            await c.SilenceAsync();
        }));
        await using AdbSyncSession sync = await server.Client().Device("X").OpenSyncAsync();
        AdbException e = await Refused(() => sync.StatAsync("/data/x"));
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Equal("\"0xde 0xad 0xbe 0xef\" with 1", e.Received);
    }

    [Fact]
    public async Task a_list_entry_with_a_garbage_name_length_is_a_protocol_error()
    {
        await using var server = new FakeAdbServer(Device(async c =>
        {
            await c.ReadAsync(8 + "/data".Length);
            byte[] dent = new byte[20];
            "DENT"u8.CopyTo(dent);
            BinaryPrimitives.WriteUInt32LittleEndian(dent.AsSpan(16), 0xFFFFFFF0);
            await c.SendAsync(dent);
            await c.SilenceAsync();
        }));
        await using AdbSyncSession sync = await server.Client().Device("X").OpenSyncAsync();
        AdbException e = await Refused(() => sync.ListAsync("/data"));
        Assert.Equal(AdbErrorKind.Protocol, e.Kind);
        Assert.Equal("a name length of 4294967280", e.Received);
    }

    [Fact]
    public async Task a_push_answered_with_fail_reports_the_devices_reason()
    {
        await using var server = new FakeAdbServer(Device(async c =>
        {
            await c.ReadAsync(8 + "/x,33188".Length);
            await c.ReadAsync(8 + 5 + 8); // DATA 5 bytes, DONE
            await c.SendAsync("FAIL");
            await c.SendAsync([17, 0, 0, 0]);
            await c.SendAsync("Read-only file sy");
        }));
        await using AdbSyncSession sync = await server.Client().Device("X").OpenSyncAsync();
        AdbException e = await Refused(() => sync.PushAsync(new MemoryStream("hello"u8.ToArray()), "/x", (UnixFileMode)0x1A4, DateTimeOffset.UtcNow));
        Assert.Equal(AdbErrorKind.Failed, e.Kind);
        Assert.Equal("FAIL \"Read-only file sy\"", e.Received);
    }

    [Fact]
    public async Task track_devices_reconnects_after_the_server_hangs_up_and_reports_what_changed()
    {
        await using var server = new FakeAdbServer(
            async c => { await c.RequestAsync(); await c.AnswerAsync("A\tdevice\nB\toffline\n"); },          // then hangs up
            async c => { await c.RequestAsync(); await c.AnswerAsync("B\tdevice\n"); await c.SilenceAsync(); });
        using var cts = new CancellationTokenSource(Guard);
        var changes = new List<AdbDeviceChange>();
        await foreach (AdbDeviceChange change in server.Client().TrackDevicesAsync(cts.Token))
        {
            changes.Add(change);
            if (changes.Count == 4) break;
        }
        Assert.Equal(
            [(AdbDeviceChangeKind.Arrived, "A"), (AdbDeviceChangeKind.Arrived, "B"), (AdbDeviceChangeKind.StateChanged, "B"), (AdbDeviceChangeKind.Left, "A")],
            changes.Select(c => (c.Kind, c.Device.Serial)));
        Assert.Equal(AdbDeviceState.Offline, changes[2].Previous);
        Assert.Equal(["host:track-devices-l", "host:track-devices-l"], server.Requests);
    }

    [Fact]
    public async Task cancellation_ends_a_read_that_waits_on_a_silent_server()
    {
        await using var server = new FakeAdbServer(c => c.SilenceAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Task call = server.Client(reply: TimeSpan.FromMinutes(5)).GetServerVersionAsync(cts.Token);
        Assert.Same(call, await Task.WhenAny(call, Task.Delay(Guard)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
