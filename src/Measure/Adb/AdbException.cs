namespace GaugeNN.Measure.Adb;

/// <summary>What went wrong talking to the adb server or a device; callers decide on <see cref="Kind"/>.</summary>
public enum AdbErrorKind
{
    /// <summary>The bytes that came are not what the protocol allows at that point (bad status, bad length, bad id).</summary>
    Protocol,
    /// <summary>The peer closed the connection before what was expected had fully arrived.</summary>
    ConnectionClosed,
    /// <summary>Nothing (or not enough) arrived, or could be sent, within the time allowed.</summary>
    Timeout,
    /// <summary>The server or daemon answered FAIL; <see cref="AdbException.Received"/> is its message.</summary>
    Failed,
    /// <summary>The server answered that the device is not there or not usable (not found, offline, unauthorized).</summary>
    DeviceUnavailable,
    /// <summary>No adb server answers and none could be started (adb missing, or it failed to start).</summary>
    ServerUnavailable,
    /// <summary>A device command's output is not in the format its tool prints.</summary>
    MalformedOutput,
}

/// <summary>
/// The one exception of the ADB client: which request it was, what was expected at that point and what came instead,
/// e.g. expected "OKAY or FAIL", received "0x4f 0x4b 0x41 then end of stream".
/// </summary>
public sealed class AdbException(AdbErrorKind kind, string request, string expected, string received, Exception? inner = null)
    : Exception($"adb {request}: expected {expected}, received {received}", inner)
{
    public AdbErrorKind Kind { get; } = kind;
    public string Request { get; } = request;
    public string Expected { get; } = expected;
    public string Received { get; } = received;
}
