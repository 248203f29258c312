// Host services of the adb server, per AOSP packages/modules/adb SERVICES.TXT: host:version, host:devices-l,
// host:track-devices[-l], host:connect, host:disconnect, host-serial:SERIAL:features, host:transport:SERIAL.
using System.Globalization;
using System.Runtime.CompilerServices;

namespace GaugeNN.Measure.Adb;

/// <summary>Where the server is, how long to wait, and which adb to start when none answers.</summary>
public sealed record AdbClientOptions
{
    public AdbServerEndpoint Endpoint { get; init; } = AdbServerEndpoint.FromEnvironment();
    public AdbLimits Limits { get; init; } = AdbLimits.Default;

    /// <summary>The adb executable for <c>adb start-server</c>; null = <c>adb</c> on PATH.</summary>
    public string? AdbExecutable { get; init; }

    /// <summary>Start the server when none answers (as the adb command-line tool does).</summary>
    public bool StartServer { get; init; } = true;
}

/// <summary>
/// A client of the adb server. Stateless between calls: every call opens its own connection (a service owns its
/// connection until it ends), so a restarted server is simply reached again, and started first when none answers.
/// </summary>
public sealed class AdbClient
{
    private readonly AdbClientOptions options;
    private readonly TimeProvider time;
    private readonly AdbServerLauncher launcher;

    public AdbClient(AdbClientOptions? options = null, TimeProvider? time = null)
    {
        this.options = options ?? new AdbClientOptions();
        this.time = time ?? TimeProvider.System;
        launcher = new AdbServerLauncher(this.options.Endpoint, this.options.AdbExecutable, this.options.Limits, this.time);
    }

    public AdbServerEndpoint Endpoint => options.Endpoint;
    public AdbLimits Limits => options.Limits;

    /// <summary>The server's internal protocol version (<c>host:version</c>), e.g. 41.</summary>
    public async Task<int> GetServerVersionAsync(CancellationToken ct = default)
    {
        string text = await QueryAsync("host:version", ct).ConfigureAwait(false);
        if (text.Length == 0 || !int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int version))
            throw new AdbException(AdbErrorKind.Protocol, "host:version", "the version in hex digits", $"\"{text}\"");
        return version;
    }

    /// <summary>Every device the server knows, in the long form (<c>host:devices-l</c>).</summary>
    public async Task<IReadOnlyList<AdbDevice>> GetDevicesAsync(CancellationToken ct = default) =>
        AdbDeviceList.Parse(await QueryAsync("host:devices-l", ct).ConfigureAwait(false));

    /// <summary>
    /// Device-list changes as they happen (<c>host:track-devices-l</c>, or <c>host:track-devices</c> on servers without
    /// it). The devices present when tracking starts come first as <see cref="AdbDeviceChangeKind.Arrived"/>. When the
    /// server goes away, tracking reconnects (starting a server if none answers) and reports the difference.
    /// Runs until cancelled.
    /// </summary>
    public async IAsyncEnumerable<AdbDeviceChange> TrackDevicesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        IReadOnlyList<AdbDevice> known = [];
        string service = "host:track-devices-l";
        TimeSpan backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            AdbSocket? socket = null;
            try
            {
                socket = await OpenAsync(ct).ConfigureAwait(false);
                await socket.SendRequestAsync(service, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (AdbException e) when (e.Kind == AdbErrorKind.Failed && service == "host:track-devices-l")
            {
                service = "host:track-devices"; // servers before the long form answer FAIL "unknown host service"
                if (socket is not null) await socket.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            catch (AdbException e) when (e.Kind is AdbErrorKind.ConnectionClosed or AdbErrorKind.Timeout)
            {
                if (socket is not null) await socket.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(backoff, time, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }
            await using (socket.ConfigureAwait(false))
            {
                while (true)
                {
                    IReadOnlyList<AdbDevice> now;
                    try
                    {
                        now = AdbDeviceList.Parse(await socket.ReadHexStringAsync("a device list", ct, waitFirst: true).ConfigureAwait(false), service);
                    }
                    catch (AdbException e) when (e.Kind is AdbErrorKind.ConnectionClosed)
                    {
                        break; // the server went away: reconnect, and report what changed meanwhile
                    }
                    foreach (AdbDeviceChange change in AdbDeviceList.Diff(known, now)) yield return change;
                    known = now;
                }
            }
        }
    }

    /// <summary>Waits until <paramref name="serial"/> is attached in state <c>device</c>.</summary>
    public async Task<AdbDevice> WaitForDeviceAsync(string serial, CancellationToken ct = default)
    {
        var present = new Dictionary<string, AdbDevice>(StringComparer.Ordinal);
        await foreach (AdbDeviceChange change in TrackDevicesAsync(ct).ConfigureAwait(false))
        {
            if (change.Kind == AdbDeviceChangeKind.Left) present.Remove(change.Device.Serial);
            else present[change.Device.Serial] = change.Device;
            if (present.TryGetValue(serial, out AdbDevice? device) && device.State == AdbDeviceState.Device) return device;
        }
        throw new OperationCanceledException(ct);
    }

    /// <summary><c>adb connect HOST:PORT</c>: the server's answer, e.g. "connected to 127.0.0.1:5555"; a refusal throws.</summary>
    public async Task<string> ConnectDeviceAsync(string hostAndPort, CancellationToken ct = default)
    {
        string said = await QueryAsync($"host:connect:{hostAndPort}", ct).ConfigureAwait(false);
        if (!said.StartsWith("connected to", StringComparison.Ordinal) && !said.StartsWith("already connected", StringComparison.Ordinal))
            throw new AdbException(AdbErrorKind.DeviceUnavailable, $"host:connect:{hostAndPort}", "\"connected to …\"", $"\"{said}\"");
        return said;
    }

    /// <summary><c>adb disconnect HOST:PORT</c>: the server's answer.</summary>
    public Task<string> DisconnectDeviceAsync(string hostAndPort, CancellationToken ct = default) =>
        QueryAsync($"host:disconnect:{hostAndPort}", ct);

    /// <summary>Services of one device.</summary>
    public AdbDeviceClient Device(string serial) => new(this, serial);

    /// <summary>A host request answered by OKAY and one length-prefixed string.</summary>
    internal async Task<string> QueryAsync(string service, CancellationToken ct)
    {
        await using AdbSocket socket = await OpenAsync(ct).ConfigureAwait(false);
        await socket.SendRequestAsync(service, ct).ConfigureAwait(false);
        return await socket.ReadHexStringAsync($"the answer to {service}", ct).ConfigureAwait(false);
    }

    /// <summary>A connection switched to <paramref name="serial"/> with <paramref name="service"/> opened on the device.</summary>
    internal async Task<AdbSocket> OpenServiceAsync(string serial, string service, CancellationToken ct)
    {
        AdbSocket socket = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendRequestAsync($"host:transport:{serial}", ct).ConfigureAwait(false);
            await socket.SendRequestAsync(service, ct).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            await socket.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A connection to the server; starts one (<c>adb start-server</c>) when none answers.</summary>
    internal async Task<AdbSocket> OpenAsync(CancellationToken ct)
    {
        AdbSocket? socket = await AdbSocket.TryConnectAsync(options.Endpoint, options.Limits, time, ct).ConfigureAwait(false);
        if (socket is not null) return socket;
        if (!options.StartServer)
            throw new AdbException(AdbErrorKind.ServerUnavailable, "connect", $"an adb server at {options.Endpoint.Spec}",
                "nothing listening, and starting one is turned off");
        await launcher.StartAsync(ct).ConfigureAwait(false);
        return await AdbSocket.TryConnectAsync(options.Endpoint, options.Limits, time, ct).ConfigureAwait(false)
               ?? throw new AdbException(AdbErrorKind.ServerUnavailable, "connect", $"an adb server at {options.Endpoint.Spec}",
                   "nothing listening even after `adb start-server` succeeded");
    }
}
