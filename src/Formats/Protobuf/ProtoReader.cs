// Spec: Protocol Buffers binary wire format, https://protobuf.dev/programming-guides/encoding/.
using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Formats.Protobuf;

public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A forward-only reader of protobuf wire data. Lengths are checked against the bytes that remain before anything
/// is sliced; groups (deprecated, unused by the schemas we read) are refused rather than skipped.
/// </summary>
public ref struct ProtoReader
{
    private const int MaxVarintBytes = 10;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private const ulong MaxFieldNumber = 536_870_911;
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _origin;
    private readonly string _format;
    private int _position;

    /// <param name="origin">Offset of <paramref name="data"/> in the whole file, for error messages.</param>
    public ProtoReader(ReadOnlySpan<byte> data, string format, long origin = 0)
    {
        _data = data;
        _format = format;
        _origin = origin;
        _position = 0;
    }

    public readonly bool AtEnd => _position >= _data.Length;
    public readonly long Offset => _origin + _position;

    /// <summary>Reads the next key; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        field = 0;
        wireType = 0;
        if (AtEnd) return false;
        ulong key = ReadVarint("tag");
        ulong number = key >> 3;
        if (number is 0 or > MaxFieldNumber)
            throw Fail("tag", $"field number {number} is invalid");
        field = (int)number;
        wireType = (WireType)(key & 7);
        if (wireType is WireType.StartGroup or WireType.EndGroup || (int)wireType > 5)
            throw Fail("tag", $"wire type {(int)wireType} is not supported");
        return true;
    }

    public ulong ReadVarint(string field)
    {
        ulong value = 0;
        for (int shift = 0, i = 0; i < MaxVarintBytes; i++, shift += 7)
        {
            if (AtEnd) throw Fail(field, "varint runs past the end");
            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Fail(field, "varint longer than 10 bytes");
    }

    /// <summary>An int64 field: negative values are ten-byte two's-complement varints, so the cast must not be checked.</summary>
    public long ReadInt64(string field) => unchecked((long)ReadVarint(field));

    /// <summary>An int32 or enum field: the wire carries it sign-extended; protobuf keeps the low 32 bits.</summary>
    public int ReadInt32(string field) => unchecked((int)ReadVarint(field));

    public uint ReadFixed32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong ReadFixed64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    /// <summary>A length-delimited payload; <paramref name="origin"/> receives its file offset.</summary>
    public ReadOnlySpan<byte> ReadBytes(string field, out long origin)
    {
        ulong length = ReadVarint(field);
        if (length > (ulong)(_data.Length - _position))
            throw Fail(field, $"length {length} is longer than the {_data.Length - _position} bytes left");
        origin = Offset;
        return Take((int)length, field);
    }

    public ReadOnlySpan<byte> ReadBytes(string field) => ReadBytes(field, out _);

    public string ReadString(string field)
    {
        var bytes = ReadBytes(field, out long at);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedModelException(_format, at, field, "string is not valid UTF-8");
        }
    }

    /// <summary>Reads a nested message's bytes and returns a reader positioned on them.</summary>
    public ProtoReader ReadMessage(string field)
    {
        var bytes = ReadBytes(field, out long at);
        return new ProtoReader(bytes, _format, at);
    }

    public void Skip(WireType wireType, string field)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadVarint(field); break;
            case WireType.Fixed64: Take(8, field); break;
            case WireType.LengthDelimited: ReadBytes(field); break;
            case WireType.Fixed32: Take(4, field); break;
            default: throw Fail(field, $"wire type {(int)wireType} cannot be skipped");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > _data.Length - _position) throw Fail(field, $"{count} bytes run past the end");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public readonly MalformedModelException Fail(string field, string problem) => new(_format, Offset, field, problem);
}
