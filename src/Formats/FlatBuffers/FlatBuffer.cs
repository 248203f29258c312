// Spec: FlatBuffers binary format, https://flatbuffers.dev/internals/ (root uoffset, vtables, vectors, strings).
using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Formats.FlatBuffers;

/// <summary>
/// Bounds-checked read access to one FlatBuffer. Every object read is checked to lie inside the buffer and
/// widens <see cref="End"/>, the highest byte any object reaches: after a full walk from the root that is the
/// buffer's true size, which is how a model embedded in a larger blob is cut out.
/// </summary>
public sealed class FlatBuffer
{
    private const int UOffsetSize = 4;
    private const int VTableHeaderSize = 4;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly ReadOnlyMemory<byte> _bytes;
    private long _workLeft;

    public FlatBuffer(ReadOnlyMemory<byte> bytes, string format)
    {
        _bytes = bytes;
        Format = format;
        // Offsets only point forward, so there are no cycles, but one object may be referenced from many places and
        // a crafted file can make a walk revisit it exponentially often. Each object a tree-shaped buffer holds is
        // reached once and costs at least a byte, so twice the length (plus slack) bounds any honest walk.
        _workLeft = 2L * bytes.Length + 1024;
    }

    public string Format { get; }
    public int Length => _bytes.Length;
    public ReadOnlySpan<byte> Span => _bytes.Span;

    /// <summary>One past the highest byte touched so far.</summary>
    public int End { get; private set; }

    /// <summary>The 4-byte file identifier at byte 4, or null when the buffer is too short.</summary>
    public static string? Identifier(ReadOnlySpan<byte> bytes) =>
        bytes.Length < 8 ? null : Encoding.ASCII.GetString(bytes.Slice(UOffsetSize, 4));

    public FlatTable Root(string field = "root")
    {
        Touch(0, UOffsetSize, field);
        return TableAt(checked((int)ReadUOffsetTarget(0, field)), field);
    }

    internal FlatTable TableAt(int position, string field)
    {
        Charge(1, position, field);
        Touch(position, 4, field);
        long vtable = position - (long)BinaryPrimitives.ReadInt32LittleEndian(Span[position..]);
        if (vtable < 0 || vtable > Length - VTableHeaderSize)
            throw Fail(position, field, $"vtable at {vtable} is outside the buffer");
        Touch((int)vtable, VTableHeaderSize, field);
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(Span[(int)vtable..]);
        int inlineSize = BinaryPrimitives.ReadUInt16LittleEndian(Span[((int)vtable + 2)..]);
        if (vtableSize < VTableHeaderSize || (vtableSize & 1) != 0)
            throw Fail(vtable, field, $"vtable size {vtableSize} is invalid");
        if (inlineSize < 4)
            throw Fail(vtable, field, $"table size {inlineSize} is smaller than its vtable offset");
        Touch((int)vtable, vtableSize, field);
        Touch(position, inlineSize, field);
        return new FlatTable(this, position, (int)vtable, vtableSize, inlineSize);
    }

    /// <summary>Follows the uoffset stored at <paramref name="at"/>.</summary>
    internal long ReadUOffsetTarget(int at, string field)
    {
        Touch(at, UOffsetSize, field);
        uint relative = BinaryPrimitives.ReadUInt32LittleEndian(Span[at..]);
        long target = at + (long)relative;
        if (relative == 0 || target >= Length)
            throw Fail(at, field, $"offset {relative} points outside the buffer");
        return target;
    }

    internal FlatVector VectorAt(int at, int elementSize, string field)
    {
        int start = checked((int)ReadUOffsetTarget(at, field));
        Touch(start, 4, field);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(Span[start..]);
        long bytes = count * (long)elementSize;
        if (bytes > Length - (start + 4L))
            throw Fail(start, field, $"vector of {count} x {elementSize} bytes is longer than the buffer");
        Charge(1 + count, start, field);
        Touch(start + 4, (int)bytes, field);
        return new FlatVector(this, start + 4, (int)count, elementSize, field);
    }

    internal string StringAt(int at, string field)
    {
        var vector = VectorAt(at, 1, field);
        // The terminating NUL belongs to the string object; a buffer may legally end right before it only if truncated.
        Touch(vector.Start + vector.Count, 1, field);
        try
        {
            return StrictUtf8.GetString(Span.Slice(vector.Start, vector.Count));
        }
        catch (DecoderFallbackException)
        {
            throw Fail(vector.Start, field, "string is not valid UTF-8");
        }
    }

    internal void Touch(long start, long length, string field)
    {
        if (start < 0 || length < 0 || start + length > Length)
            throw Fail(start, field, $"{length} bytes at {start} run past the end of the {Length}-byte buffer");
        if (start + length > End) End = (int)(start + length);
    }

    private void Charge(long units, long at, string field)
    {
        _workLeft -= units;
        if (_workLeft < 0)
            throw Fail(at, field, "objects are shared so often that walking them exceeds the work budget");
    }

    internal MalformedModelException Fail(long offset, string field, string problem) => new(Format, offset, field, problem);
}

/// <summary>A table: fields are looked up through its vtable; an absent field gives the schema default.</summary>
public readonly struct FlatTable
{
    private readonly FlatBuffer _buffer;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _inlineSize;

    internal FlatTable(FlatBuffer buffer, int position, int vtable, int vtableSize, int inlineSize)
    {
        _buffer = buffer;
        Position = position;
        _vtable = vtable;
        _vtableSize = vtableSize;
        _inlineSize = inlineSize;
    }

    public int Position { get; }

    /// <summary>Offset of field <paramref name="index"/> (schema order, 0-based) inside the table, or 0 if absent.</summary>
    private int FieldOffset(int index, int width, string field)
    {
        int slot = 4 + 2 * index;
        if (slot + 2 > _vtableSize) return 0;
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Span[(_vtable + slot)..]);
        if (offset == 0) return 0;
        if (offset + width > _inlineSize)
            throw _buffer.Fail(Position, field, $"field offset {offset} lies outside the {_inlineSize}-byte table");
        return offset;
    }

    public bool Has(int index) => FieldOffset(index, 0, "?") != 0;

    /// <summary>The inline bytes of a scalar field (checked to lie inside the table), empty when absent.</summary>
    public ReadOnlySpan<byte> Scalar(int index, int width, string field)
    {
        int offset = FieldOffset(index, width, field);
        return offset == 0 ? default : _buffer.Span.Slice(Position + offset, width);
    }

    public byte Byte(int index, string field, byte fallback = 0)
    {
        var s = Scalar(index, 1, field);
        return s.IsEmpty ? fallback : s[0];
    }

    public sbyte SByte(int index, string field, sbyte fallback = 0)
    {
        var s = Scalar(index, 1, field);
        return s.IsEmpty ? fallback : (sbyte)s[0];
    }

    public bool Bool(int index, string field, bool fallback = false)
    {
        var s = Scalar(index, 1, field);
        return s.IsEmpty ? fallback : s[0] != 0;
    }

    public int Int32(int index, string field, int fallback = 0)
    {
        var s = Scalar(index, 4, field);
        return s.IsEmpty ? fallback : BinaryPrimitives.ReadInt32LittleEndian(s);
    }

    public uint UInt32(int index, string field, uint fallback = 0)
    {
        var s = Scalar(index, 4, field);
        return s.IsEmpty ? fallback : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    public long Int64(int index, string field, long fallback = 0)
    {
        var s = Scalar(index, 8, field);
        return s.IsEmpty ? fallback : BinaryPrimitives.ReadInt64LittleEndian(s);
    }

    public ulong UInt64(int index, string field, ulong fallback = 0)
    {
        var s = Scalar(index, 8, field);
        return s.IsEmpty ? fallback : BinaryPrimitives.ReadUInt64LittleEndian(s);
    }

    public float Float(int index, string field, float fallback = 0)
    {
        var s = Scalar(index, 4, field);
        return s.IsEmpty ? fallback : BinaryPrimitives.ReadSingleLittleEndian(s);
    }

    public string? String(int index, string field)
    {
        int offset = FieldOffset(index, 4, field);
        return offset == 0 ? null : _buffer.StringAt(Position + offset, field);
    }

    public FlatTable? Table(int index, string field)
    {
        int offset = FieldOffset(index, 4, field);
        return offset == 0 ? null : _buffer.TableAt(checked((int)_buffer.ReadUOffsetTarget(Position + offset, field)), field);
    }

    /// <summary>A vector field; absent gives an empty vector. <paramref name="elementSize"/> is 4 for tables and strings.</summary>
    public FlatVector Vector(int index, int elementSize, string field)
    {
        int offset = FieldOffset(index, 4, field);
        return offset == 0 ? new FlatVector(_buffer, 0, 0, elementSize, field) : _buffer.VectorAt(Position + offset, elementSize, field);
    }
}

/// <summary>A vector whose element bytes have been checked to lie in the buffer.</summary>
public readonly struct FlatVector
{
    private readonly FlatBuffer _buffer;
    private readonly int _elementSize;
    private readonly string _field;

    internal FlatVector(FlatBuffer buffer, int start, int count, int elementSize, string field)
    {
        _buffer = buffer;
        Start = start;
        Count = count;
        _elementSize = elementSize;
        _field = field;
    }

    public int Start { get; }
    public int Count { get; }
    public ReadOnlySpan<byte> Bytes => Count == 0 ? default : _buffer.Span.Slice(Start, Count * _elementSize);

    public int Int32(int i) => BinaryPrimitives.ReadInt32LittleEndian(Element(i, 4));
    public long Int64(int i) => BinaryPrimitives.ReadInt64LittleEndian(Element(i, 8));
    public float Float(int i) => BinaryPrimitives.ReadSingleLittleEndian(Element(i, 4));
    public byte Byte(int i) => Element(i, 1)[0];
    public FlatTable Table(int i) => _buffer.TableAt(checked((int)_buffer.ReadUOffsetTarget(Start + i * 4, _field)), _field);
    public string String(int i) => _buffer.StringAt(Start + i * 4, _field);

    private ReadOnlySpan<byte> Element(int i, int width)
    {
        if ((uint)i >= (uint)Count || width != _elementSize) throw new ArgumentOutOfRangeException(nameof(i));
        return _buffer.Span.Slice(Start + i * width, width);
    }
}
