// Spec: PKWARE APPNOTE.TXT 6.3.10 — 4.3.16 end of central directory, 4.3.14/4.3.15 Zip64 end record and locator,
// 4.3.12 central directory header, 4.3.7 local file header, 4.5.3 Zip64 extended information extra field.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GaugeNN.Formats.Archives;

/// <summary>One central-directory record: the facts the directory states about an entry (which may be lies).</summary>
public sealed record ZipEntry(
    string Name, bool NameHasNul, ushort Flags, ushort Method, uint Crc32, long CompressedSize, long UncompressedSize,
    long LocalHeaderOffset)
{
    public const ushort Stored = 0;
    public const ushort Deflated = 8;
    private const ushort EncryptedFlag = 1;

    public bool IsDirectory => Name.EndsWith('/') && UncompressedSize == 0;
    public bool IsEncrypted => (Flags & EncryptedFlag) != 0;

    /// <summary><c>stored</c> or <c>deflated</c>, as expected.json's <c>storage</c>.</summary>
    public string Storage => Method == Stored ? "stored" : Method == Deflated ? "deflated" : $"method-{Method}";
}

/// <summary>Inflated bytes left for one app; every entry inflated draws on it, so a nest of bombs stops early.</summary>
public sealed class InflationBudget(long bytes)
{
    public long Remaining { get; private set; } = bytes;

    public void Take(long bytes, string what)
    {
        if (bytes > Remaining)
            throw new ArchiveException(0, what, $"inflating {bytes} more bytes would pass the app's total inflation cap ({Remaining} left)");
        Remaining -= bytes;
    }
}

/// <summary>
/// Reads a zip archive from its central directory, with hard caps, and each entry's bytes on demand: stored entries
/// as a range of the parent, deflated ones inflated with a counting cap and checked against their CRC-32.
/// </summary>
public sealed class ZipReader
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const int EndOfCentralDirectorySize = 22;
    private const int EocdEntryCount = 10, EocdDirectorySize = 12, EocdDirectoryOffset = 16, EocdCommentLength = 20;
    private const int EocdThisDisk = 4, EocdDirectoryDisk = 6;
    private const int MaxCommentLength = ushort.MaxValue;

    private const uint Zip64LocatorSignature = 0x07064b50;
    private const int Zip64LocatorSize = 20, Zip64LocatorRecordOffset = 8;
    private const uint Zip64EndSignature = 0x06064b50;
    private const int Zip64EndSize = 56, Zip64EndEntryCount = 32, Zip64EndDirectorySize = 40, Zip64EndDirectoryOffset = 48;

    private const uint CentralHeaderSignature = 0x02014b50;
    private const int CentralHeaderSize = 46;
    private const int CdFlags = 8, CdMethod = 10, CdCrc = 16, CdCompressedSize = 20, CdUncompressedSize = 24;
    private const int CdNameLength = 28, CdExtraLength = 30, CdCommentLength = 32, CdLocalHeaderOffset = 42;

    private const uint LocalHeaderSignature = 0x04034b50;
    private const int LocalHeaderSize = 30, LhNameLength = 26, LhExtraLength = 28;
    private const int MaxStackName = 512;

    private const ushort Zip64ExtraId = 0x0001;
    private const uint Zip64Marker32 = 0xFFFFFFFF;
    private const ushort Zip64Marker16 = 0xFFFF;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly ByteSource _source;
    private readonly ZipLimits _limits;

    private ZipReader(ByteSource source, ZipLimits limits, IReadOnlyList<ZipEntry> entries)
    {
        _source = source;
        _limits = limits;
        Entries = entries;
    }

    public IReadOnlyList<ZipEntry> Entries { get; }

    /// <summary>True when the bytes start like a zip (a local header), the cheap test before trying to open one.</summary>
    public static bool LooksLikeZip(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(start) == LocalHeaderSignature;

    public static ZipReader Open(ByteSource source, ZipLimits limits)
    {
        var (entryCount, directoryOffset, directorySize) = FindCentralDirectory(source, limits);
        var directory = new byte[directorySize];
        source.ReadExactly(directoryOffset, directory, "central directory");
        return new ZipReader(source, limits, ReadCentralDirectory(directory, directoryOffset, entryCount, source.Length));
    }

    private static (long Count, long Offset, int Size) FindCentralDirectory(ByteSource source, ZipLimits limits)
    {
        if (source.Length < EndOfCentralDirectorySize)
            throw new ArchiveException(0, "end of central directory", $"{source.Length} bytes is too short for a zip archive");
        int tailLength = (int)Math.Min(source.Length, EndOfCentralDirectorySize + MaxCommentLength);
        long tailStart = source.Length - tailLength;
        var tail = new byte[tailLength];
        source.ReadExactly(tailStart, tail, "end of central directory");
        int eocd = -1;
        for (int i = tailLength - EndOfCentralDirectorySize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != EndOfCentralDirectorySignature) continue;
            if (i + EndOfCentralDirectorySize + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + EocdCommentLength)) > tailLength) continue;
            eocd = i;
            break;
        }
        if (eocd < 0)
            throw new ArchiveException(source.Length, "end of central directory", "no end-of-central-directory record: not a zip archive, or truncated");
        var record = tail.AsSpan(eocd);
        long eocdOffset = tailStart + eocd;
        if (BinaryPrimitives.ReadUInt16LittleEndian(record[EocdThisDisk..]) != BinaryPrimitives.ReadUInt16LittleEndian(record[EocdDirectoryDisk..]))
            throw new ArchiveException(eocdOffset, "disk number", "multi-disk archives are not supported");
        long count = BinaryPrimitives.ReadUInt16LittleEndian(record[EocdEntryCount..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(record[EocdDirectorySize..]);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(record[EocdDirectoryOffset..]);
        long directoryEnd = eocdOffset;
        if (count == Zip64Marker16 || size == Zip64Marker32 || offset == Zip64Marker32)
            (count, size, offset, directoryEnd) = ReadZip64End(source, eocdOffset, (count, size, offset));

        if (count > limits.MaxEntries)
            throw new ArchiveException(eocdOffset, "entry count", $"{count} entries exceed the cap of {limits.MaxEntries}");
        if (size > limits.MaxCentralDirectoryBytes)
            throw new ArchiveException(eocdOffset, "central directory size", $"central directory of {size} bytes exceeds the cap of {limits.MaxCentralDirectoryBytes}");
        if (count * CentralHeaderSize > size)
            throw new ArchiveException(eocdOffset, "entry count", $"{count} entries cannot fit in a central directory of {size} bytes");
        if (offset > directoryEnd - size)
            throw new ArchiveException(eocdOffset, "central directory offset", $"central directory [{offset}, +{size}) runs past its end record at {directoryEnd}");
        return (count, offset, (int)size);
    }

    private static (long Count, long Size, long Offset, long DirectoryEnd) ReadZip64End(
        ByteSource source, long eocdOffset, (long Count, long Size, long Offset) classic)
    {
        long locatorOffset = eocdOffset - Zip64LocatorSize;
        if (locatorOffset < 0) return (classic.Count, classic.Size, classic.Offset, eocdOffset);
        Span<byte> locator = stackalloc byte[Zip64LocatorSize];
        source.ReadExactly(locatorOffset, locator, "zip64 locator");
        // 0xFFFF entries without a Zip64 locator is an ordinary archive that happens to hold 65,535 entries.
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
            return (classic.Count, classic.Size, classic.Offset, eocdOffset);
        long endOffset = checked((long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator[Zip64LocatorRecordOffset..]), long.MaxValue));
        if (endOffset > locatorOffset - Zip64EndSize)
            throw new ArchiveException(locatorOffset, "zip64 end offset", $"zip64 end record at {endOffset} is not before its locator");
        Span<byte> end = stackalloc byte[Zip64EndSize];
        source.ReadExactly(endOffset, end, "zip64 end record");
        if (BinaryPrimitives.ReadUInt32LittleEndian(end) != Zip64EndSignature)
            throw new ArchiveException(endOffset, "zip64 end signature", "zip64 end record has a wrong signature");
        return (Clamp(BinaryPrimitives.ReadUInt64LittleEndian(end[Zip64EndEntryCount..])),
                Clamp(BinaryPrimitives.ReadUInt64LittleEndian(end[Zip64EndDirectorySize..])),
                Clamp(BinaryPrimitives.ReadUInt64LittleEndian(end[Zip64EndDirectoryOffset..])),
                endOffset);
    }

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static List<ZipEntry> ReadCentralDirectory(byte[] directory, long directoryOffset, long count, long archiveLength)
    {
        var entries = new List<ZipEntry>((int)count);
        int position = 0;
        for (long i = 0; i < count; i++)
        {
            long at = directoryOffset + position;
            if (directory.Length - position < CentralHeaderSize)
                throw new ArchiveException(at, "central directory header", $"entry {i} of {count} runs past the central directory");
            var header = directory.AsSpan(position);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != CentralHeaderSignature)
                throw new ArchiveException(at, "central directory signature", $"entry {i} of {count} has a wrong signature");
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[CdNameLength..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[CdExtraLength..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[CdCommentLength..]);
            int recordLength = CentralHeaderSize + nameLength + extraLength + commentLength;
            if (recordLength > header.Length)
                throw new ArchiveException(at, "central directory name", $"entry {i} name/extra/comment run past the central directory");
            var nameBytes = header.Slice(CentralHeaderSize, nameLength);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[CdCompressedSize..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[CdUncompressedSize..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[CdLocalHeaderOffset..]);
            ApplyZip64Extra(header.Slice(CentralHeaderSize + nameLength, extraLength), at, ref uncompressed, ref compressed, ref localOffset);
            if (localOffset > archiveLength - LocalHeaderSize)
                throw new ArchiveException(at, "local header offset", $"entry {i} points at {localOffset}, past the archive's {archiveLength} bytes");
            entries.Add(new ZipEntry(
                Utf8.GetString(nameBytes), nameBytes.Contains((byte)0),
                BinaryPrimitives.ReadUInt16LittleEndian(header[CdFlags..]),
                BinaryPrimitives.ReadUInt16LittleEndian(header[CdMethod..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[CdCrc..]),
                compressed, uncompressed, localOffset));
            position += recordLength;
        }
        return entries;
    }

    private static void ApplyZip64Extra(ReadOnlySpan<byte> extra, long at, ref long uncompressed, ref long compressed, ref long localOffset)
    {
        if (uncompressed != Zip64Marker32 && compressed != Zip64Marker32 && localOffset != Zip64Marker32) return;
        while (extra.Length >= 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (size > extra.Length - 4)
                throw new ArchiveException(at, "extra field", $"extra field 0x{id:x4} of {size} bytes runs past its record");
            var data = extra.Slice(4, size);
            if (id == Zip64ExtraId)
            {
                if (uncompressed == Zip64Marker32) uncompressed = TakeZip64(ref data, at);
                if (compressed == Zip64Marker32) compressed = TakeZip64(ref data, at);
                if (localOffset == Zip64Marker32) localOffset = TakeZip64(ref data, at);
                return;
            }
            extra = extra[(4 + size)..];
        }
    }

    private static long TakeZip64(ref ReadOnlySpan<byte> data, long at)
    {
        if (data.Length < 8) throw new ArchiveException(at, "zip64 extra", "zip64 extra field is shorter than the values it must hold");
        long value = Clamp(BinaryPrimitives.ReadUInt64LittleEndian(data));
        data = data[8..];
        return value;
    }

    /// <summary>The entry's raw (compressed) data, located through its local header.</summary>
    private ByteSource DataOf(ZipEntry entry)
    {
        Span<byte> local = stackalloc byte[LocalHeaderSize];
        _source.ReadExactly(entry.LocalHeaderOffset, local, "local header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(local) != LocalHeaderSignature)
            throw new ArchiveException(entry.LocalHeaderOffset, "local header signature", "local header has a wrong signature");
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(local[LhNameLength..]);
        long dataStart = entry.LocalHeaderOffset + LocalHeaderSize + nameLength + BinaryPrimitives.ReadUInt16LittleEndian(local[LhExtraLength..]);
        // Installers read the central directory and some tools the local headers: an entry named differently in the
        // two (the "Master Key" trick) shows different content to each, so it is refused rather than guessed at.
        Span<byte> localName = nameLength <= MaxStackName ? stackalloc byte[nameLength] : new byte[nameLength];
        _source.ReadExactly(entry.LocalHeaderOffset + LocalHeaderSize, localName, "local header name");
        if (Utf8.GetString(localName) != entry.Name)
            throw new ArchiveException(entry.LocalHeaderOffset, "local header name", "local header names a different entry than the central directory");
        if (entry.CompressedSize > _source.Length - dataStart)
            throw new ArchiveException(dataStart, "compressed size", $"{entry.CompressedSize} bytes of data run past the end of the archive");
        return _source.Slice(dataStart, entry.CompressedSize);
    }

    private void CheckReadable(ZipEntry entry)
    {
        if (entry.IsEncrypted)
            throw new ArchiveException(entry.LocalHeaderOffset, "flags", "entry is encrypted");
        if (entry.Method is not (ZipEntry.Stored or ZipEntry.Deflated))
            throw new ArchiveException(entry.LocalHeaderOffset, "compression method", $"compression method {entry.Method} is not supported");
        // An entry is held in one array while it is examined, so the cap can never exceed what an array holds.
        long cap = Math.Min(_limits.MaxEntryBytes, Array.MaxLength);
        if (entry.UncompressedSize > cap)
            throw new ArchiveException(entry.LocalHeaderOffset, "uncompressed size", $"entry of {entry.UncompressedSize} bytes exceeds the entry cap of {cap}");
        if (entry.Method == ZipEntry.Stored && entry.CompressedSize != entry.UncompressedSize)
            throw new ArchiveException(entry.LocalHeaderOffset, "uncompressed size", $"stored entry declares {entry.CompressedSize} stored but {entry.UncompressedSize} uncompressed bytes");
    }

    /// <summary>
    /// A stored entry's bytes as a range of this archive, without reading them (a nested archive is walked in place).
    /// Its CRC is not checked, since it is never read whole.
    /// </summary>
    public ByteSource StoredRange(ZipEntry entry)
    {
        CheckReadable(entry);
        if (entry.Method != ZipEntry.Stored)
            throw new ArgumentException("only a stored entry is a plain range of its archive", nameof(entry));
        return DataOf(entry);
    }

    /// <summary>The entry's content, inflated under the caps and checked against its declared size and CRC-32.</summary>
    public byte[] ReadContent(ZipEntry entry, InflationBudget budget)
    {
        CheckReadable(entry);
        var data = DataOf(entry);
        // Every byte is overwritten below (or the read fails), so the array need not be zeroed first.
        var content = GC.AllocateUninitializedArray<byte>((int)entry.UncompressedSize);
        if (entry.Method == ZipEntry.Stored)
            data.ReadExactly(0, content, "stored data");
        else
        {
            double ratio = entry.UncompressedSize / (double)Math.Max(1, entry.CompressedSize);
            if (ratio > _limits.MaxCompressionRatio)
                throw new ArchiveException(entry.LocalHeaderOffset, "compression ratio",
                    $"zip bomb: {entry.CompressedSize} compressed bytes declare {entry.UncompressedSize} inflated (ratio {ratio:F0} > {_limits.MaxCompressionRatio})");
            budget.Take(entry.UncompressedSize, "inflated bytes");
            Inflate(entry, data, content);
        }
        uint crc = Crc32.Compute(content);
        if (crc != entry.Crc32)
            throw new ArchiveException(entry.LocalHeaderOffset, "crc-32", $"CRC-32 {crc:x8} does not match the declared {entry.Crc32:x8}");
        return content;
    }

    private static void Inflate(ZipEntry entry, ByteSource data, byte[] content)
    {
        try
        {
            using var inflater = new DeflateStream(data.OpenRead(), CompressionMode.Decompress);
            int filled = 0;
            while (filled < content.Length)
            {
                int read = inflater.Read(content, filled, content.Length - filled);
                if (read == 0)
                    throw new ArchiveException(entry.LocalHeaderOffset, "uncompressed size", $"inflates to only {filled} of the declared {content.Length} bytes");
                filled += read;
            }
            Span<byte> probe = stackalloc byte[1];
            if (inflater.Read(probe) != 0)
                throw new ArchiveException(entry.LocalHeaderOffset, "uncompressed size", $"inflates beyond its declared {content.Length} bytes");
        }
        catch (InvalidDataException e)
        {
            throw new ArchiveException(entry.LocalHeaderOffset, "deflate data", $"deflate data is corrupt: {e.Message}");
        }
    }
}
