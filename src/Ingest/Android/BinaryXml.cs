// Spec: Android binary XML (AXML), frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h —
// ResChunk_header, ResStringPool_header (UTF-8 and UTF-16 pools), ResXMLTree_node, ResXMLTree_attrExt,
// ResXMLTree_attribute and Res_value.
using System.Buffers.Binary;
using System.Text;
using GaugeNN.Formats.Archives;

namespace GaugeNN.Ingest.Android;

/// <summary>One attribute of a start element: its name (from the string pool), resource id (from the resource map) and value.</summary>
public sealed record XmlAttribute(string Name, uint ResourceId, byte ValueType, uint Data, string? Text)
{
    private const byte TypeIntDec = 0x10, TypeIntHex = 0x11, TypeIntBoolean = 0x12;

    /// <summary>The value as an integer when it is typed as one (or is a decimal string), otherwise null.</summary>
    public long? Integer => ValueType is TypeIntDec or TypeIntHex or TypeIntBoolean ? Data
        : long.TryParse(Text, out long parsed) ? parsed : null;
}

public sealed record XmlStartElement(string Name, IReadOnlyList<XmlAttribute> Attributes);

/// <summary>Reads the start elements of a compiled XML file, checking every offset and length against the chunk it is in.</summary>
public static class BinaryXml
{
    private const ushort XmlType = 0x0003, StringPoolType = 0x0001, ResourceMapType = 0x0180, StartElementType = 0x0102;
    private const int ChunkHeaderSize = 8, ChunkType = 0, ChunkHeaderSizeField = 2, ChunkSize = 4;

    private const int PoolStringCount = 8, PoolFlags = 16, PoolStringsStart = 20, PoolHeaderSize = 28;
    private const uint Utf8Flag = 1 << 8;

    private const int NodeHeaderSize = 16;
    private const int ExtName = 4, ExtAttributeStart = 8, ExtAttributeSize = 10, ExtAttributeCount = 12, ExtSize = 20;
    private const int AttrName = 4, AttrRawValue = 8, AttrDataType = 15, AttrData = 16, AttributeSize = 20;
    private const byte TypeString = 0x03;
    private const uint NoIndex = 0xFFFFFFFF;

    /// <summary>Hard caps: a manifest has at most thousands of strings and elements.</summary>
    private const int MaxStrings = 1 << 20, MaxElements = 1 << 20, MaxStringLength = 1 << 16;

    public static bool IsBinaryXml(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= ChunkHeaderSize && BinaryPrimitives.ReadUInt16LittleEndian(bytes) == XmlType;

    public static List<XmlStartElement> ReadStartElements(ReadOnlySpan<byte> xml)
    {
        RequireChunk(xml, 0, out ushort type, out _, out int documentSize, "document");
        if (type != XmlType) throw new ArchiveException(0, "document type", $"chunk type 0x{type:x4} is not an XML document");
        if (documentSize > xml.Length) throw new ArchiveException(0, "document size", $"document claims {documentSize} bytes but has {xml.Length}");
        xml = xml[..documentSize];

        string[] strings = [];
        uint[] resourceIds = [];
        var elements = new List<XmlStartElement>();
        int position = BinaryPrimitives.ReadUInt16LittleEndian(xml[ChunkHeaderSizeField..]);
        while (position < xml.Length)
        {
            RequireChunk(xml, position, out ushort chunkType, out int headerSize, out int size, "chunk");
            var chunk = xml.Slice(position, size);
            switch (chunkType)
            {
                case StringPoolType:
                    strings = ReadStringPool(chunk, position);
                    break;
                case ResourceMapType:
                    resourceIds = new uint[(size - headerSize) / 4];
                    for (int i = 0; i < resourceIds.Length; i++)
                        resourceIds[i] = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(headerSize + 4 * i)..]);
                    break;
                case StartElementType:
                    if (elements.Count >= MaxElements) throw new ArchiveException(position, "element count", $"more than {MaxElements} elements");
                    elements.Add(ReadStartElement(chunk, headerSize, position, strings, resourceIds));
                    break;
            }
            position += size;
        }
        return elements;
    }

    private static void RequireChunk(ReadOnlySpan<byte> xml, int position, out ushort type, out int headerSize, out int size, string field)
    {
        if (xml.Length - position < ChunkHeaderSize)
            throw new ArchiveException(position, field, "chunk header runs past the end of the document");
        type = BinaryPrimitives.ReadUInt16LittleEndian(xml[(position + ChunkType)..]);
        headerSize = BinaryPrimitives.ReadUInt16LittleEndian(xml[(position + ChunkHeaderSizeField)..]);
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(xml[(position + ChunkSize)..]);
        if (headerSize < ChunkHeaderSize || declared < headerSize || declared > xml.Length - position)
            throw new ArchiveException(position, field, $"chunk of {declared} bytes (header {headerSize}) does not fit in the {xml.Length - position} bytes left");
        size = (int)declared;
    }

    private static string[] ReadStringPool(ReadOnlySpan<byte> pool, int at)
    {
        if (pool.Length < PoolHeaderSize) throw new ArchiveException(at, "string pool header", "string pool header is truncated");
        int headerSize = BinaryPrimitives.ReadUInt16LittleEndian(pool[ChunkHeaderSizeField..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(pool[PoolStringCount..]);
        bool utf8 = (BinaryPrimitives.ReadUInt32LittleEndian(pool[PoolFlags..]) & Utf8Flag) != 0;
        uint stringsStart = BinaryPrimitives.ReadUInt32LittleEndian(pool[PoolStringsStart..]);
        if (count > MaxStrings || headerSize + 4L * count > pool.Length)
            throw new ArchiveException(at + PoolStringCount, "string count", $"{count} string offsets do not fit in a pool of {pool.Length} bytes");
        if (stringsStart > pool.Length)
            throw new ArchiveException(at + PoolStringsStart, "strings start", $"strings start {stringsStart} is past the pool's {pool.Length} bytes");
        var data = pool[(int)stringsStart..];
        var strings = new string[count];
        for (int i = 0; i < count; i++)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(pool[(headerSize + 4 * i)..]);
            if (offset >= data.Length) throw new ArchiveException(at + headerSize + 4 * i, "string offset", $"string {i} starts past the pool");
            strings[i] = utf8 ? ReadUtf8(data[(int)offset..], at) : ReadUtf16(data[(int)offset..], at);
        }
        return strings;
    }

    private static string ReadUtf8(ReadOnlySpan<byte> s, int at)
    {
        int position = 0;
        ReadLength8(s, ref position, at); // the UTF-16 length, not needed to decode
        int byteLength = ReadLength8(s, ref position, at);
        if (byteLength > s.Length - position) throw new ArchiveException(at, "utf-8 string", "string runs past the pool");
        return Encoding.UTF8.GetString(s.Slice(position, byteLength));
    }

    private static int ReadLength8(ReadOnlySpan<byte> s, ref int position, int at)
    {
        if (position >= s.Length) throw new ArchiveException(at, "utf-8 length", "string length runs past the pool");
        int length = s[position++];
        if ((length & 0x80) == 0) return length;
        if (position >= s.Length) throw new ArchiveException(at, "utf-8 length", "string length runs past the pool");
        return ((length & 0x7F) << 8) | s[position++];
    }

    private static string ReadUtf16(ReadOnlySpan<byte> s, int at)
    {
        if (s.Length < 2) throw new ArchiveException(at, "utf-16 length", "string length runs past the pool");
        int length = BinaryPrimitives.ReadUInt16LittleEndian(s);
        int position = 2;
        if ((length & 0x8000) != 0)
        {
            if (s.Length < 4) throw new ArchiveException(at, "utf-16 length", "string length runs past the pool");
            length = ((length & 0x7FFF) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(s[2..]);
            position = 4;
        }
        if (length > MaxStringLength || 2L * length > s.Length - position)
            throw new ArchiveException(at, "utf-16 string", $"string of {length} characters runs past the pool");
        return Encoding.Unicode.GetString(s.Slice(position, 2 * length));
    }

    private static XmlStartElement ReadStartElement(ReadOnlySpan<byte> chunk, int headerSize, int at, string[] strings, uint[] resourceIds)
    {
        if (headerSize < NodeHeaderSize || chunk.Length - headerSize < ExtSize)
            throw new ArchiveException(at, "start element", "start element is shorter than its fixed fields");
        var ext = chunk[headerSize..];
        string name = StringAt(strings, BinaryPrimitives.ReadUInt32LittleEndian(ext[ExtName..]), at, "element name") ?? "";
        int attributeStart = BinaryPrimitives.ReadUInt16LittleEndian(ext[ExtAttributeStart..]);
        int attributeSize = BinaryPrimitives.ReadUInt16LittleEndian(ext[ExtAttributeSize..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(ext[ExtAttributeCount..]);
        if (count > 0 && (attributeSize < AttributeSize || (long)attributeStart + (long)count * attributeSize > ext.Length))
            throw new ArchiveException(at, "attributes", $"{count} attributes of {attributeSize} bytes do not fit in the element");
        var attributes = new List<XmlAttribute>(count);
        for (int i = 0; i < count; i++)
        {
            var a = ext.Slice(attributeStart + i * attributeSize, AttributeSize);
            uint nameIndex = BinaryPrimitives.ReadUInt32LittleEndian(a[AttrName..]);
            byte type = a[AttrDataType];
            uint data = BinaryPrimitives.ReadUInt32LittleEndian(a[AttrData..]);
            string? text = type == TypeString ? StringAt(strings, data, at, "attribute value")
                : StringAt(strings, BinaryPrimitives.ReadUInt32LittleEndian(a[AttrRawValue..]), at, "attribute raw value");
            attributes.Add(new XmlAttribute(
                StringAt(strings, nameIndex, at, "attribute name") ?? "",
                nameIndex < resourceIds.Length ? resourceIds[nameIndex] : 0, type, data, text));
        }
        return new XmlStartElement(name, attributes);
    }

    private static string? StringAt(string[] strings, uint index, int at, string field)
    {
        if (index == NoIndex) return null;
        if (index >= strings.Length) throw new ArchiveException(at, field, $"string index {index} is past the pool's {strings.Length} strings");
        return strings[index];
    }
}
