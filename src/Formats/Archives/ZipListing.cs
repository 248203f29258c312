// Spec: PKWARE APPNOTE.TXT 6.3.x, sections 4.3.12 (central directory header) and 4.3.16 (end of central directory).
using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Formats.Archives;

/// <summary>One central-directory entry: where its local header is and how its data is stored.</summary>
internal sealed record ZipEntry(string Name, int Method, uint CompressedSize, uint UncompressedSize, uint LocalHeaderOffset);

/// <summary>
/// The entries of a zip archive, read from its central directory, and the bytes of one entry on request (stored, or
/// deflated with a size cap). Used for zip-based model containers (PyTorch Mobile, SNPE DLC). Zip64 is not read.
/// </summary>
internal static class ZipListing
{
    private const uint EndOfDirectorySignature = 0x06054b50;
    private const uint DirectoryEntrySignature = 0x02014b50;
    private const int EndOfDirectoryBytes = 22;
    private const int MaxCommentBytes = 0xFFFF;
    private const int DirectoryEntryBytes = 46;
    private const int MaxEntries = 100_000;

    private static class EndOfDirectory
    {
        public const int EntryCount = 10, DirectorySize = 12, DirectoryOffset = 16;
    }

    private static class DirectoryEntry
    {
        public const int Method = 10, CompressedSize = 20, UncompressedSize = 24, NameLength = 28, ExtraLength = 30,
            CommentLength = 32, LocalHeaderOffset = 42;
    }

    private const uint LocalHeaderSignature = 0x04034b50;
    private const int LocalHeaderBytes = 30;
    private const int LocalNameLength = 26, LocalExtraLength = 28;
    private const int Stored = 0, Deflated = 8;
    private const int MaxInflatedBytes = 64 << 20;
    private const int MaxInflationRatio = 200;

    public static bool IsZip(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes.StartsWith("PK\x03\x04"u8);

    /// <summary>The names in the central directory, or null when the archive's directory is not readable.</summary>
    public static List<string>? Names(ReadOnlySpan<byte> bytes) => Entries(bytes)?.Select(e => e.Name).ToList();

    /// <summary>The entry's data, or null when it cannot be read within the caps.</summary>
    public static byte[]? Read(ReadOnlySpan<byte> bytes, ZipEntry entry)
    {
        long at = entry.LocalHeaderOffset;
        if (at > bytes.Length - LocalHeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)at..]) != LocalHeaderSignature)
            return null;
        var header = bytes[(int)at..];
        long start = at + LocalHeaderBytes + BinaryPrimitives.ReadUInt16LittleEndian(header[LocalNameLength..])
                     + BinaryPrimitives.ReadUInt16LittleEndian(header[LocalExtraLength..]);
        if (start > bytes.Length || entry.CompressedSize > bytes.Length - start) return null;
        var data = bytes.Slice((int)start, (int)entry.CompressedSize);
        if (entry.Method == Stored) return data.ToArray();
        if (entry.Method != Deflated || entry.UncompressedSize > MaxInflatedBytes
            || entry.UncompressedSize > (long)entry.CompressedSize * MaxInflationRatio + 1024)
            return null;
        var output = new byte[entry.UncompressedSize];
        using var inflater = new System.IO.Compression.DeflateStream(new MemoryStream(data.ToArray()), System.IO.Compression.CompressionMode.Decompress);
        try
        {
            inflater.ReadExactly(output);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return null;
        }
        return output;
    }

    public static List<ZipEntry>? Entries(ReadOnlySpan<byte> bytes)
    {
        if (!IsZip(bytes) || bytes.Length < EndOfDirectoryBytes) return null;
        int searchFrom = Math.Max(0, bytes.Length - EndOfDirectoryBytes - MaxCommentBytes);
        int end = -1;
        for (int at = bytes.Length - EndOfDirectoryBytes; at >= searchFrom; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]) == EndOfDirectorySignature) { end = at; break; }
        }
        if (end < 0) return null;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(end + EndOfDirectory.EntryCount)..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(end + EndOfDirectory.DirectorySize)..]);
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(end + EndOfDirectory.DirectoryOffset)..]);
        if (count > MaxEntries || offset > (uint)end || size > (uint)end - offset) return null;
        var names = new List<ZipEntry>(Math.Min(count, (int)(size / DirectoryEntryBytes)));
        var directory = bytes.Slice((int)offset, (int)size);
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            if (directory.Length - position < DirectoryEntryBytes
                || BinaryPrimitives.ReadUInt32LittleEndian(directory[position..]) != DirectoryEntrySignature)
                return null;
            var header = directory[position..];
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[DirectoryEntry.NameLength..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[DirectoryEntry.ExtraLength..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[DirectoryEntry.CommentLength..]);
            int entryLength = DirectoryEntryBytes + nameLength + extraLength + commentLength;
            if (entryLength > directory.Length - position) return null;
            names.Add(new ZipEntry(Encoding.UTF8.GetString(header.Slice(DirectoryEntryBytes, nameLength)),
                BinaryPrimitives.ReadUInt16LittleEndian(header[DirectoryEntry.Method..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[DirectoryEntry.CompressedSize..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[DirectoryEntry.UncompressedSize..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[DirectoryEntry.LocalHeaderOffset..])));
            position += entryLength;
        }
        return names;
    }
}
