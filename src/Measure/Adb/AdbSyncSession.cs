// Sync service, per AOSP packages/modules/adb SYNC.TXT and file_sync_protocol.h (v1 requests): every message is a
// four-letter id and a little-endian uint32; SEND "path,mode" then DATA chunks of at most 64 KiB then DONE with the
// mtime, answered OKAY or FAIL; RECV answered by DATA chunks then DONE; STAT answered by STAT mode size mtime; LIST
// answered by DENT mode size mtime namelen name entries then a DONE entry; QUIT ends the service.
using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Measure.Adb;

/// <summary>A file on the device as sync v1 reports it: Unix mode bits, size and mtime (both 32-bit in v1).</summary>
public sealed record AdbFileInfo(string Name, uint Mode, uint Size, DateTimeOffset Modified)
{
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
}

/// <summary>
/// One sync connection to a device: push, pull, stat and list over it in turn. Owns the connection; disposing it sends
/// QUIT. A FAIL from the device ends the service (adbd closes it), so the session cannot be used after one.
/// </summary>
public sealed class AdbSyncSession : IAsyncDisposable
{
    public const int MaxChunk = 64 * 1024;
    public const int MaxPathBytes = 1024;
    private const int MaxNameBytes = 4096;

    private readonly AdbSocket socket;
    private readonly byte[] header = new byte[8];
    private const int ChunksPerWrite = 4;
    private byte[]? chunk;
    private byte[][]? sendBuffers;
    private bool closed;

    private AdbSyncSession(AdbSocket socket) => this.socket = socket;

    internal static async Task<AdbSyncSession> OpenAsync(AdbClient client, string serial, CancellationToken ct) =>
        new(await client.OpenServiceAsync(serial, "sync:", ct).ConfigureAwait(false));

    /// <summary>Sends <paramref name="source"/> (read to its end) to <paramref name="remotePath"/>; returns the bytes sent.</summary>
    public async Task<long> PushAsync(Stream source, string remotePath, UnixFileMode permissions, DateTimeOffset modified, CancellationToken ct = default)
    {
        uint mode = 0x8000 | ((uint)permissions & 0xFFF); // S_IFREG | permissions, as adb push sends st_mode
        await RequestAsync("SEND", $"{remotePath},{mode}", remotePath, ct).ConfigureAwait(false);
        // DATA chunks go out several to a write (fewer system calls and timers, more for the server per read), and the
        // next batch is read from the source while the last one is being sent.
        sendBuffers ??= [new byte[ChunksPerWrite * (8 + MaxChunk)], new byte[ChunksPerWrite * (8 + MaxChunk)]];
        long total = 0;
        Task sending = Task.CompletedTask;
        try
        {
            for (int turn = 0; ; turn ^= 1)
            {
                byte[] batch = sendBuffers[turn];
                int used = 0;
                bool end = false;
                while (used < batch.Length && !end)
                {
                    int n = await source.ReadAtLeastAsync(batch.AsMemory(used + 8, MaxChunk), MaxChunk, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                    if (n > 0)
                    {
                        "DATA"u8.CopyTo(batch.AsSpan(used));
                        BinaryPrimitives.WriteUInt32LittleEndian(batch.AsSpan(used + 4), (uint)n);
                        used += 8 + n;
                        total += n;
                    }
                    end = n < MaxChunk;
                }
                await sending.ConfigureAwait(false);
                if (used > 0) sending = socket.WriteAsync(batch.AsMemory(0, used), ct);
                if (end) break;
            }
            await sending.ConfigureAwait(false);
            await WriteMessageAsync("DONE", (uint)Math.Clamp(modified.ToUnixTimeSeconds(), 0, uint.MaxValue), ct).ConfigureAwait(false);
        }
        catch (AdbException e) when (e.Kind == AdbErrorKind.ConnectionClosed)
        {
            // The device hung up mid-transfer: when it said why (FAIL), that is the error to report.
            throw await ReadFailAfterHangUpAsync(remotePath, e, ct).ConfigureAwait(false);
        }
        catch
        {
            // The source failed (or the caller cancelled) with a batch still going out: let it finish or fail first.
            closed = true;
            await sending.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        await ReadStatusAsync($"the answer to SEND {remotePath}", remotePath, ct).ConfigureAwait(false);
        return total;
    }

    /// <summary>Writes the device file <paramref name="remotePath"/> to <paramref name="destination"/>; returns its length.</summary>
    public async Task<long> PullAsync(string remotePath, Stream destination, CancellationToken ct = default)
    {
        await RequestAsync("RECV", remotePath, remotePath, ct).ConfigureAwait(false);
        chunk ??= new byte[MaxChunk];
        long total = 0;
        while (true)
        {
            (string id, uint length) = await ReadMessageAsync($"DATA or DONE of {remotePath}", ct).ConfigureAwait(false);
            switch (id)
            {
                case "DATA":
                    if (length > MaxChunk) throw Fail("a DATA chunk of at most 65536 bytes", $"DATA of {length} bytes");
                    await socket.ReadExactlyAsync(chunk.AsMemory(0, (int)length), $"{length} bytes of {remotePath}", socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
                    await destination.WriteAsync(chunk.AsMemory(0, (int)length), ct).ConfigureAwait(false);
                    total += length;
                    break;
                case "DONE":
                    return total;
                case "FAIL":
                    throw await FailureAsync(length, remotePath, ct).ConfigureAwait(false);
                default:
                    throw Fail($"DATA, DONE or FAIL while receiving {remotePath}", $"\"{id}\" with length {length}");
            }
        }
    }

    /// <summary>The file's mode, size and mtime; null when there is none (sync v1 answers all zeros then).</summary>
    public async Task<AdbFileInfo?> StatAsync(string remotePath, CancellationToken ct = default)
    {
        await RequestAsync("STAT", remotePath, remotePath, ct).ConfigureAwait(false);
        (string id, uint mode) = await ReadMessageAsync($"STAT of {remotePath}", ct).ConfigureAwait(false);
        if (id != "STAT") throw Fail($"STAT of {remotePath}", $"\"{id}\" with {mode}");
        uint size = await socket.ReadUInt32Async("the size in a STAT answer", ct).ConfigureAwait(false);
        uint mtime = await socket.ReadUInt32Async("the mtime in a STAT answer", ct).ConfigureAwait(false);
        return mode == 0 && size == 0 && mtime == 0 ? null : new AdbFileInfo(remotePath, mode, size, DateTimeOffset.FromUnixTimeSeconds(mtime));
    }

    /// <summary>The entries of a device folder, without "." and ".."; empty when the folder cannot be read (as v1 says nothing then).</summary>
    public async Task<IReadOnlyList<AdbFileInfo>> ListAsync(string remotePath, CancellationToken ct = default)
    {
        await RequestAsync("LIST", remotePath, remotePath, ct).ConfigureAwait(false);
        var entries = new List<AdbFileInfo>();
        byte[] rest = new byte[12];
        while (true)
        {
            (string id, uint mode) = await ReadMessageAsync($"DENT or DONE of {remotePath}", ct).ConfigureAwait(false);
            if (id == "FAIL") throw await FailureAsync(mode, remotePath, ct).ConfigureAwait(false);
            if (id is not ("DENT" or "DONE")) throw Fail($"DENT, DONE or FAIL while listing {remotePath}", $"\"{id}\" with {mode}");
            await socket.ReadExactlyAsync(rest, $"the rest of a {id} entry", socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
            if (id == "DONE") return entries;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            uint mtime = BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(4));
            uint nameLength = BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(8));
            if (nameLength is 0 or > MaxNameBytes) throw Fail($"a DENT name of 1 to {MaxNameBytes} bytes", $"a name length of {nameLength}");
            if (entries.Count >= socket.Limits.MaxListEntries)
                throw Fail($"at most {socket.Limits.MaxListEntries} entries in {remotePath}", "more");
            byte[] name = new byte[nameLength];
            await socket.ReadExactlyAsync(name, $"a {nameLength}-byte DENT name", socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
            string text = Encoding.UTF8.GetString(name);
            if (text is not ("." or "..")) entries.Add(new AdbFileInfo(text, mode, size, DateTimeOffset.FromUnixTimeSeconds(mtime)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                await WriteMessageAsync("QUIT", 0, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AdbException)
            {
                // The device already hung up; closing is all that is left.
            }
        }
        await socket.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RequestAsync(string id, string argument, string path, CancellationToken ct)
    {
        if (closed) throw new AdbException(AdbErrorKind.Protocol, "sync:", "an open sync session", "one the device ended (after a FAIL) or that was disposed");
        byte[] bytes = Encoding.UTF8.GetBytes(argument);
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            throw new ArgumentException($"a device path is at most {MaxPathBytes} bytes in sync requests: {path}");
        byte[] message = new byte[8 + bytes.Length];
        Encoding.ASCII.GetBytes(id, message);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), (uint)bytes.Length);
        bytes.CopyTo(message, 8);
        await socket.WriteAsync(message, ct).ConfigureAwait(false);
    }

    private async Task WriteMessageAsync(string id, uint value, CancellationToken ct)
    {
        Encoding.ASCII.GetBytes(id, header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), value);
        await socket.WriteAsync(header, ct).ConfigureAwait(false);
    }

    private async Task<(string Id, uint Value)> ReadMessageAsync(string what, CancellationToken ct)
    {
        await socket.ReadExactlyAsync(header, what, socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
        ReadOnlySpan<byte> id = header.AsSpan(0, 4);
        // An id that is not text is shown in hex, so the error says what came.
        string text = id.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) ? AdbSocket.Describe(id) : Encoding.ASCII.GetString(id);
        return (text, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)));
    }

    private async Task ReadStatusAsync(string what, string path, CancellationToken ct)
    {
        (string id, uint length) = await ReadMessageAsync(what, ct).ConfigureAwait(false);
        if (id == "OKAY") return;
        if (id == "FAIL") throw await FailureAsync(length, path, ct).ConfigureAwait(false);
        throw Fail($"OKAY or FAIL as {what}", $"\"{id}\" with {length}");
    }

    private async Task<AdbException> FailureAsync(uint length, string path, CancellationToken ct)
    {
        closed = true;
        if (length > MaxChunk) return Fail($"a FAIL message of at most {MaxChunk} bytes", $"FAIL with length {length}");
        byte[] message = new byte[length];
        await socket.ReadExactlyAsync(message, "the FAIL message", socket.Limits.ReplyTimeout, ct).ConfigureAwait(false);
        return socket.Fail(AdbErrorKind.Failed, $"OKAY for {path}", $"FAIL \"{Encoding.UTF8.GetString(message)}\"");
    }

    private async Task<AdbException> ReadFailAfterHangUpAsync(string path, AdbException hangUp, CancellationToken ct)
    {
        closed = true;
        try
        {
            (string id, uint length) = await ReadMessageAsync("FAIL", ct).ConfigureAwait(false);
            if (id == "FAIL") return await FailureAsync(length, path, ct).ConfigureAwait(false);
        }
        catch (AdbException)
        {
            // Nothing readable came with the hang-up.
        }
        return hangUp;
    }

    private AdbException Fail(string expected, string received)
    {
        closed = true;
        return socket.Fail(AdbErrorKind.Protocol, expected, received);
    }
}
