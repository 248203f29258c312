using System.Buffers;

namespace GaugeNN.Api.Http;

/// <summary>An answer grew past the response cap.</summary>
public sealed class ResponseTooLargeException() : IOException("the response passed its cap");

/// <summary>
/// A write-only buffer of pooled 64 KB chunks that refuses to grow past its cap: the answer is held whole before it
/// is sent (so a refusal replaces it cleanly) without a doubling array on the large-object heap.
/// </summary>
public sealed class CappedBuffer(int cap) : Stream
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > cap) throw new ResponseTooLargeException();
        while (!buffer.IsEmpty)
        {
            int used = (int)(_length % ChunkSize);
            if (used == 0 && _length / ChunkSize == _chunks.Count) _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            int take = Math.Min(ChunkSize - used, buffer.Length);
            buffer[..take].CopyTo(_chunks[^1].AsSpan(used));
            buffer = buffer[take..];
            _length += take;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        long left = _length;
        foreach (var chunk in _chunks)
        {
            int take = (int)Math.Min(ChunkSize, left);
            await destination.WriteAsync(chunk.AsMemory(0, take), cancellationToken);
            left -= take;
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        foreach (var chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
        _chunks.Clear();
        base.Dispose(disposing);
    }
}
