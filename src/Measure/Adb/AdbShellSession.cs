// Shell service, per AOSP packages/modules/adb SERVICES.TXT ("shell,v2:" and "shell:") and shell_protocol.h: a v2
// packet is one id byte (0 stdin, 1 stdout, 2 stderr, 3 exit, 4 close-stdin, 5 window size) then a little-endian
// uint32 length and that many bytes; the exit packet carries one byte, the exit code.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GaugeNN.Measure.Adb;

/// <summary>Which shell service carries a command.</summary>
public enum AdbShellProtocol
{
    /// <summary><c>shell,v2,raw:</c> — stdout, stderr and the exit code, kept apart.</summary>
    V2,
    /// <summary><c>shell:</c> — one stream (stderr merged into stdout); the exit code comes from a trailer the command prints.</summary>
    Legacy,
}

/// <summary>How to choose the shell service: <see cref="Auto"/> = v2 when the device advertises <c>shell_v2</c>.</summary>
public enum AdbShellMode { Auto, V2, Legacy }

public enum AdbShellStream { Stdout = 1, Stderr = 2 }

/// <summary>A piece of a command's output. <see cref="Data"/> stays valid until the next read of the session.</summary>
public readonly record struct AdbShellOutput(AdbShellStream Stream, ReadOnlyMemory<byte> Data);

/// <summary>A command's whole output and exit code. On <see cref="AdbShellProtocol.Legacy"/>, stderr is inside stdout.</summary>
public sealed record AdbShellResult(int ExitCode, byte[] Stdout, byte[] Stderr, AdbShellProtocol Protocol)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
    public string StderrText => Encoding.UTF8.GetString(Stderr);
}

/// <summary>
/// One running shell command, streaming: read its output as it comes, write its stdin, then its exit code.
/// Owns the connection; disposing it ends the command's connection (adbd then hangs up on the command).
/// </summary>
public sealed class AdbShellSession : IAsyncDisposable
{
    private const byte IdStdin = 0, IdStdout = 1, IdStderr = 2, IdExit = 3, IdCloseStdin = 4;
    private const int LegacyReadSize = 64 * 1024;

    private readonly AdbSocket socket;
    private readonly byte[]? trailer; // Legacy: the marker the exit code follows
    private readonly byte[] header = new byte[5];
    private byte[] buffer = new byte[LegacyReadSize];
    private byte[] pending = [];     // Legacy: bytes held back because they may be the start of the trailer
    private bool ended;

    private AdbShellSession(AdbSocket socket, AdbShellProtocol protocol, byte[]? trailer)
    {
        this.socket = socket;
        Protocol = protocol;
        this.trailer = trailer;
    }

    public AdbShellProtocol Protocol { get; }

    /// <summary>The command's exit code, once <see cref="ReadAsync"/> has returned null.</summary>
    public int? ExitCode { get; private set; }

    internal static async Task<AdbShellSession> OpenAsync(AdbClient client, string serial, string command, AdbShellProtocol protocol, CancellationToken ct)
    {
        if (protocol == AdbShellProtocol.V2)
            return new(await client.OpenServiceAsync(serial, $"shell,v2,raw:{command}", ct).ConfigureAwait(false), protocol, null);
        // shell: gives no exit code; the command runs in a subshell (so its own `exit` ends only that) and the shell
        // then prints a marker no output can predict, followed by the status.
        string marker = $"GAUGENN_EXIT_{Guid.NewGuid():N}=";
        string wrapped = $"({command}\n); printf '%s%d\\n' {marker} \"$?\"";
        return new(await client.OpenServiceAsync(serial, $"shell:{wrapped}", ct).ConfigureAwait(false), protocol, Encoding.ASCII.GetBytes(marker));
    }

    /// <summary>The next piece of output, or null once the command has ended (then <see cref="ExitCode"/> is set).</summary>
    public Task<AdbShellOutput?> ReadAsync(CancellationToken ct = default) =>
        Protocol == AdbShellProtocol.V2 ? ReadV2Async(ct) : ReadLegacyAsync(ct);

    /// <summary>Sends bytes to the command's stdin.</summary>
    public async Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (Protocol == AdbShellProtocol.Legacy)
        {
            await socket.WriteAsync(data, ct).ConfigureAwait(false);
            return;
        }
        while (!data.IsEmpty)
        {
            ReadOnlyMemory<byte> part = data[..Math.Min(data.Length, socket.Limits.MaxShellPacketBytes)];
            await WritePacketAsync(IdStdin, part, ct).ConfigureAwait(false);
            data = data[part.Length..];
        }
    }

    /// <summary>Closes the command's stdin (it sees end of file).</summary>
    public async Task CloseInputAsync(CancellationToken ct = default)
    {
        if (Protocol == AdbShellProtocol.V2) await WritePacketAsync(IdCloseStdin, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        else socket.ShutdownSend();
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();

    private async Task<AdbShellOutput?> ReadV2Async(CancellationToken ct)
    {
        while (!ended)
        {
            int first = await socket.ReadSomeAsync(header.AsMemory(0, 1), "a shell packet", socket.Limits.ShellSilenceTimeout, ct).ConfigureAwait(false);
            if (first == 0)
                throw socket.Fail(AdbErrorKind.ConnectionClosed, "a shell packet, and an exit packet (id 3) before the end", "end of stream");
            await socket.ReadExactlyAsync(header.AsMemory(1, 4), "the length of a shell packet", socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(1));
            byte id = header[0];
            if (id is not (IdStdout or IdStderr or IdExit))
                throw socket.Fail(AdbErrorKind.Protocol, "a shell packet id 1 (stdout), 2 (stderr) or 3 (exit)", $"id {id} (length {length})");
            if (length > (uint)socket.Limits.MaxShellPacketBytes)
                throw socket.Fail(AdbErrorKind.Protocol, $"a shell packet of at most {socket.Limits.MaxShellPacketBytes} bytes", $"id {id} with length {length}");
            if (id == IdExit && length != 1)
                throw socket.Fail(AdbErrorKind.Protocol, "an exit packet of 1 byte", $"length {length}");
            if (buffer.Length < length) buffer = new byte[length];
            Memory<byte> data = buffer.AsMemory(0, (int)length);
            await socket.ReadExactlyAsync(data, $"{length} bytes of a shell packet (id {id})", socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
            if (id == IdExit)
            {
                ExitCode = buffer[0];
                ended = true;
                return null;
            }
            if (length > 0) return new AdbShellOutput((AdbShellStream)id, data);
        }
        return null;
    }

    private async Task<AdbShellOutput?> ReadLegacyAsync(CancellationToken ct)
    {
        byte[] marker = trailer!;
        int hold = marker.Length + 5; // the marker, up to three digits of status, a newline, one spare
        while (!ended)
        {
            int n = await socket.ReadSomeAsync(buffer, "shell output", socket.Limits.ShellSilenceTimeout, ct).ConfigureAwait(false);
            if (n == 0)
            {
                ended = true;
                int at = pending.AsSpan().LastIndexOf(marker);
                string status = at < 0 ? "" : Encoding.ASCII.GetString(pending, at + marker.Length, pending.Length - at - marker.Length).TrimEnd('\n', '\r');
                if (at < 0 || !int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out int code))
                    throw socket.Fail(AdbErrorKind.ConnectionClosed, "the command's exit status trailer before the end",
                        at < 0 ? "end of stream without it" : $"a trailer with status \"{status}\"");
                ExitCode = code;
                byte[] rest = pending[..at];
                pending = [];
                return rest.Length > 0 ? new AdbShellOutput(AdbShellStream.Stdout, rest) : null;
            }
            byte[] all = [.. pending, .. buffer.AsSpan(0, n)];
            int emit = Math.Max(0, all.Length - hold);
            pending = all[emit..];
            if (emit > 0) return new AdbShellOutput(AdbShellStream.Stdout, all.AsMemory(0, emit));
        }
        return null;
    }

    private async Task WritePacketAsync(byte id, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        byte[] packet = new byte[5 + data.Length];
        packet[0] = id;
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(1), (uint)data.Length);
        data.CopyTo(packet.AsMemory(5));
        await socket.WriteAsync(packet, ct).ConfigureAwait(false);
    }
}
