using System.Buffers;

namespace GaugeNN.Formats.FlatBuffers;

/// <summary>
/// Lets a span that the caller has pinned be read through the Memory-based readers (<see cref="FlatBuffer"/>,
/// <see cref="Archives.ZipReader"/>) without copying a possibly large model. The memory must not outlive the
/// <c>fixed</c> block that created it.
/// </summary>
internal sealed unsafe class PinnedSpanMemory(byte* pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }

    /// <summary>Runs <paramref name="read"/> over <paramref name="bytes"/> as memory, pinned for the duration.</summary>
    public static T Read<T>(ReadOnlySpan<byte> bytes, Func<ReadOnlyMemory<byte>, T> read)
    {
        fixed (byte* pointer = bytes)
        {
            using var memory = new PinnedSpanMemory(pointer, bytes.Length);
            return read(memory.Memory);
        }
    }
}
