using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Ingest.Tests;

/// <summary>Writes compiled XML (ResourceTypes.h layout) the way aapt/aapt2 do, with a UTF-8 or a UTF-16 string pool.</summary>
public sealed class AxmlBuilder(bool utf8)
{
    public const byte TypeString = 0x03, TypeIntDec = 0x10;
    private const uint None = 0xFFFFFFFF;
    private readonly List<string> _strings = [];
    private readonly List<uint> _resourceIds = [];
    private readonly List<byte[]> _elements = [];

    /// <summary>Attribute names with resource ids must come first in the pool, as the resource map is indexed by string index.</summary>
    public uint AttributeName(string name, uint resourceId)
    {
        if (_resourceIds.Count != _strings.Count) throw new InvalidOperationException("declare attribute names before other strings");
        _resourceIds.Add(resourceId);
        return String(name);
    }

    public uint String(string value)
    {
        _strings.Add(value);
        return (uint)(_strings.Count - 1);
    }

    public void Element(string name, params (uint Name, byte Type, uint Data)[] attributes)
    {
        uint nameIndex = String(name);
        var chunk = new byte[16 + 20 + 20 * attributes.Length];
        Header(chunk, 0x0102, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(12), None);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(16), None);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(20), nameIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(24), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(26), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(28), (ushort)attributes.Length);
        for (int i = 0; i < attributes.Length; i++)
        {
            var a = chunk.AsSpan(36 + 20 * i);
            var (attributeName, type, data) = attributes[i];
            BinaryPrimitives.WriteUInt32LittleEndian(a, None);
            BinaryPrimitives.WriteUInt32LittleEndian(a[4..], attributeName);
            BinaryPrimitives.WriteUInt32LittleEndian(a[8..], type == TypeString ? data : None);
            BinaryPrimitives.WriteUInt16LittleEndian(a[12..], 8);
            a[15] = type;
            BinaryPrimitives.WriteUInt32LittleEndian(a[16..], data);
        }
        _elements.Add(chunk);
    }

    public byte[] Build()
    {
        var pool = StringPool();
        var map = new byte[8 + 4 * _resourceIds.Count];
        Header(map, 0x0180, 8);
        for (int i = 0; i < _resourceIds.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(map.AsSpan(8 + 4 * i), _resourceIds[i]);
        var document = new List<byte>(new byte[8]);
        document.AddRange(pool);
        document.AddRange(map);
        foreach (var e in _elements) document.AddRange(e);
        var bytes = document.ToArray();
        Header(bytes, 0x0003, 8);
        return bytes;
    }

    private byte[] StringPool()
    {
        var data = new List<byte>();
        var offsets = new List<uint>();
        foreach (var s in _strings)
        {
            offsets.Add((uint)data.Count);
            if (utf8)
            {
                var encoded = Encoding.UTF8.GetBytes(s);
                data.Add((byte)s.Length);
                data.Add((byte)encoded.Length);
                data.AddRange(encoded);
                data.Add(0);
            }
            else
            {
                data.AddRange(BitConverter.GetBytes((ushort)s.Length));
                data.AddRange(Encoding.Unicode.GetBytes(s));
                data.AddRange(new byte[2]);
            }
        }
        while (data.Count % 4 != 0) data.Add(0);
        int stringsStart = 28 + 4 * offsets.Count;
        var pool = new byte[stringsStart + data.Count];
        Header(pool, 0x0001, 28);
        BinaryPrimitives.WriteUInt32LittleEndian(pool.AsSpan(8), (uint)offsets.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(pool.AsSpan(16), utf8 ? 1u << 8 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(pool.AsSpan(20), (uint)stringsStart);
        for (int i = 0; i < offsets.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(pool.AsSpan(28 + 4 * i), offsets[i]);
        data.CopyTo(pool, stringsStart);
        return pool;
    }

    private static void Header(byte[] chunk, ushort type, ushort headerSize)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(chunk, type);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(2), headerSize);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)chunk.Length);
    }
}
