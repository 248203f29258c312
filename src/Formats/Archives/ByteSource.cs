using Microsoft.Win32.SafeHandles;

namespace GaugeNN.Formats.Archives;

/// <summary>
/// A read-only range of bytes in a file or in memory, read at explicit offsets. A stored archive entry is a
/// <see cref="Slice"/> of its parent, so nested archives are walked without copying them.
/// </summary>
public sealed class ByteSource
{
    private readonly SafeFileHandle? _file;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly long _start;

    private ByteSource(SafeFileHandle? file, ReadOnlyMemory<byte> memory, long start, long length)
    {
        _file = file;
        _memory = memory;
        _start = start;
        Length = length;
    }

    public long Length { get; }

    public static ByteSource FromMemory(ReadOnlyMemory<byte> bytes) => new(null, bytes, 0, bytes.Length);

    /// <summary>The caller keeps ownership of <paramref name="file"/> and disposes it after the last read.</summary>
    public static ByteSource FromFile(SafeFileHandle file) => new(file, default, 0, RandomAccess.GetLength(file));

    public ByteSource Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArchiveException(offset, "range", $"range of {length} bytes at {offset} is outside the {Length} available");
        return new ByteSource(_file, _memory, _start + offset, length);
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; fails when the bytes are not all there.</summary>
    public void ReadExactly(long offset, Span<byte> destination, string field)
    {
        if (offset < 0 || offset > Length - destination.Length)
            throw new ArchiveException(offset, field, $"{destination.Length} bytes needed but the data ends at {Length}");
        if (_file is null)
        {
            _memory.Span.Slice((int)(_start + offset), destination.Length).CopyTo(destination);
            return;
        }
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(_file, destination[done..], _start + offset + done);
            if (read == 0) throw new ArchiveException(offset + done, field, "the file ended early (changed while read?)");
            done += read;
        }
    }

    /// <summary>A forward-only stream over the range, the input of an inflater.</summary>
    public Stream OpenRead() => new RangeStream(this);

    private sealed class RangeStream(ByteSource source) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => source.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int count = (int)Math.Min(buffer.Length, source.Length - _position);
            if (count <= 0) return 0;
            source.ReadExactly(_position, buffer[..count], "data");
            _position += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
