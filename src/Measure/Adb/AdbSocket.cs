// ADB smart-socket framing, per AOSP packages/modules/adb OVERVIEW.TXT and SERVICES.TXT: a request is four hex digits
// of length then the service name; the answer is "OKAY", or "FAIL" then four hex digits of length and a message.
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace GaugeNN.Measure.Adb;

/// <summary>
/// One connection to the adb server, and the only owner of its socket. Every read and write is bounded by a timeout;
/// a timeout, a protocol error or a cancellation leaves the connection in an unknown state, so it is closed then.
/// </summary>
internal sealed class AdbSocket : IAsyncDisposable
{
    private const int MaxRequestLength = 0xFFFF;
    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    private readonly Socket socket;
    private readonly TimeProvider time;
    private readonly byte[] small = new byte[8];
    private bool broken;

    private AdbSocket(Socket socket, AdbLimits limits, TimeProvider time, string request)
    {
        this.socket = socket;
        this.time = time;
        Limits = limits;
        Request = request;
    }

    public AdbLimits Limits { get; }

    /// <summary>The service this connection serves (for error messages); set by <see cref="SendRequestAsync"/>.</summary>
    public string Request { get; private set; }

    /// <summary>Connects; null when nothing listens there (refused, or no such socket file), so the caller may start a server.</summary>
    public static async Task<AdbSocket?> TryConnectAsync(AdbServerEndpoint endpoint, AdbLimits limits, TimeProvider time, CancellationToken ct)
    {
        var socket = endpoint.Address.AddressFamily == AddressFamily.Unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(limits.ConnectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            await socket.ConnectAsync(endpoint.Address, linked.Token).ConfigureAwait(false);
            return new AdbSocket(socket, limits, time, "connect");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            // Refused (TCP, or a unix socket nobody listens on) or no such socket file: no server there.
            socket.Dispose();
            return null;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new AdbException(AdbErrorKind.ServerUnavailable, "connect", $"a connection to the adb server at {endpoint.Spec}",
                $"{e.SocketErrorCode} ({e.Message})", e);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new AdbException(AdbErrorKind.Timeout, "connect", $"a connection to the adb server at {endpoint.Spec}",
                $"none within {Seconds(limits.ConnectTimeout)}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and reads OKAY; FAIL becomes <see cref="AdbException"/> with the server's message.</summary>
    public async Task SendRequestAsync(string service, CancellationToken ct)
    {
        Request = service;
        byte[] payload = Encoding.UTF8.GetBytes(service);
        if (payload.Length > MaxRequestLength)
            throw new ArgumentException($"an adb request is at most {MaxRequestLength} bytes; this one is {payload.Length}");
        byte[] frame = new byte[4 + payload.Length];
        Encoding.ASCII.GetBytes(payload.Length.ToString("x4", CultureInfo.InvariantCulture), frame);
        payload.CopyTo(frame, 4);
        await WriteAsync(frame, ct).ConfigureAwait(false);
        await ReadStatusAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Reads OKAY, or FAIL with its message (thrown).</summary>
    public async Task ReadStatusAsync(CancellationToken ct)
    {
        await ReadExactlyAsync(small.AsMemory(0, 4), "OKAY or FAIL", Limits.ReplyTimeout, ct).ConfigureAwait(false);
        if (small.AsSpan(0, 4).SequenceEqual("OKAY"u8)) return;
        if (small.AsSpan(0, 4).SequenceEqual("FAIL"u8))
        {
            string message = await ReadHexStringAsync("the FAIL message", ct).ConfigureAwait(false);
            throw Failure(Request, message);
        }
        throw Fail(AdbErrorKind.Protocol, "OKAY or FAIL", Describe(small.AsSpan(0, 4)));
    }

    /// <summary>A FAIL message as an exception: a missing or unusable device gets its own kind.</summary>
    public static AdbException Failure(string request, string message)
    {
        bool device = message.StartsWith("device ", StringComparison.Ordinal) && message.Contains(" not found", StringComparison.Ordinal)
                      || message is "device offline" or "device unauthorized" or "no devices/emulators found"
                      || message.StartsWith("device unauthorized", StringComparison.Ordinal)
                      || message.StartsWith("device still authorizing", StringComparison.Ordinal)
                      || message.StartsWith("device still connecting", StringComparison.Ordinal);
        return new AdbException(device ? AdbErrorKind.DeviceUnavailable : AdbErrorKind.Failed, request, "OKAY", $"FAIL \"{message}\"");
    }

    /// <summary>Four hex digits of length, then that many bytes of UTF-8. With <paramref name="waitFirst"/> the first byte
    /// may take any time (trackers speak only when something changes); the rest is bounded.</summary>
    public async Task<string> ReadHexStringAsync(string what, CancellationToken ct, bool waitFirst = false)
    {
        if (waitFirst)
        {
            await ReadExactlyAsync(small.AsMemory(0, 1), $"the length of {what}", Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
            await ReadExactlyAsync(small.AsMemory(1, 3), $"the length of {what}", Limits.ReplyTimeout, ct).ConfigureAwait(false);
        }
        else
        {
            await ReadExactlyAsync(small.AsMemory(0, 4), $"the length of {what}", Limits.ReplyTimeout, ct).ConfigureAwait(false);
        }
        if (!int.TryParse(Encoding.ASCII.GetString(small, 0, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int length)
            || small.AsSpan(0, 4).ContainsAnyExcept(HexDigits))
            throw Fail(AdbErrorKind.Protocol, $"four hex digits of length before {what}", Describe(small.AsSpan(0, 4)));
        byte[] text = new byte[length];
        await ReadExactlyAsync(text, $"{length} bytes of {what}", Limits.ReplyTimeout, ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(text);
    }

    public async Task<uint> ReadUInt32Async(string what, CancellationToken ct)
    {
        await ReadExactlyAsync(small.AsMemory(0, 4), what, Limits.ReplyTimeout, ct).ConfigureAwait(false);
        return BinaryPrimitives.ReadUInt32LittleEndian(small);
    }

    /// <summary>Fills <paramref name="buffer"/>, or throws: the peer closed (with how much came), or the time ran out.</summary>
    public async Task ReadExactlyAsync(Memory<byte> buffer, string what, TimeSpan timeout, CancellationToken ct)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = await ReceiveAsync(buffer[got..], what, got, buffer.Length, timeout, ct).ConfigureAwait(false);
            if (n == 0)
                throw Fail(AdbErrorKind.ConnectionClosed, what,
                    got == 0 ? "end of stream" : $"{Describe(buffer.Span[..got])} then end of stream ({got} of {buffer.Length} bytes)");
            got += n;
        }
    }

    /// <summary>Whatever arrives first (at most the buffer), 0 at the end of the stream.</summary>
    public Task<int> ReadSomeAsync(Memory<byte> buffer, string what, TimeSpan timeout, CancellationToken ct) =>
        ReceiveAsync(buffer, what, 0, buffer.Length, timeout, ct);

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        ThrowIfBroken();
        using var bound = Bound(Limits.ReplyTimeout, ct);
        try
        {
            while (!data.IsEmpty)
            {
                int sent = await socket.SendAsync(data, SocketFlags.None, bound.Token).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Fail(AdbErrorKind.Timeout, $"the peer to take {data.Length} more bytes", $"nothing taken within {Seconds(Limits.ReplyTimeout)}");
        }
        catch (OperationCanceledException)
        {
            broken = true;
            throw;
        }
        catch (SocketException e)
        {
            // Not marked broken: the peer may have said why before it hung up (a sync FAIL), and that is still readable.
            throw new AdbException(AdbErrorKind.ConnectionClosed, Request, $"the peer to take {data.Length} more bytes",
                $"{e.SocketErrorCode} ({e.Message})", e);
        }
    }

    /// <summary>Half-closes the connection: the peer sees end of stream, and can still answer.</summary>
    public void ShutdownSend()
    {
        try { socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { /* already closed by the peer: reading will say so */ }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public AdbException Fail(AdbErrorKind kind, string expected, string received, Exception? inner = null)
    {
        broken = true;
        return new AdbException(kind, Request, expected, received, inner);
    }

    private async Task<int> ReceiveAsync(Memory<byte> buffer, string what, int got, int wanted, TimeSpan timeout, CancellationToken ct)
    {
        ThrowIfBroken();
        using var bound = Bound(timeout, ct);
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Fail(AdbErrorKind.Timeout, what,
                got == 0 ? $"nothing within {Seconds(timeout)}" : $"{got} of {wanted} bytes within {Seconds(timeout)}");
        }
        catch (OperationCanceledException)
        {
            broken = true;
            throw;
        }
        catch (SocketException e)
        {
            throw Fail(AdbErrorKind.ConnectionClosed, what, $"{e.SocketErrorCode} ({e.Message})", e);
        }
    }

    private Deadline Bound(TimeSpan timeout, CancellationToken ct) => new(timeout, time, ct);

    /// <summary>A token cancelled by the caller or when the time is up (timed by the injected TimeProvider).</summary>
    private readonly struct Deadline : IDisposable
    {
        private readonly CancellationTokenSource source;
        private readonly CancellationTokenRegistration caller;

        public Deadline(TimeSpan timeout, TimeProvider time, CancellationToken ct)
        {
            source = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(timeout, time);
            caller = ct.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        }

        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            caller.Dispose();
            source.Dispose();
        }
    }

    private void ThrowIfBroken()
    {
        if (broken)
            throw new AdbException(AdbErrorKind.Protocol, Request, "a connection in a known state",
                "one that already failed (a timeout, a protocol error or a cancellation); open a new one");
    }

    internal static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    /// <summary>Bytes as they came: printable ASCII in quotes, the rest in hex.</summary>
    internal static string Describe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e))
            return string.Join(' ', bytes.ToArray().Select(b => $"0x{b:x2}"));
        return $"\"{Encoding.ASCII.GetString(bytes)}\"";
    }
}
