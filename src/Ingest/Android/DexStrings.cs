// Spec: Dalvik Executable format, source.android.com/docs/core/runtime/dex-format — header_item (string_ids_size at
// 0x38, string_ids_off at 0x3C), string_id_item, string_data_item (uleb128 utf16_size, then MUTF-8 bytes, NUL).
using System.Buffers.Binary;
using GaugeNN.Formats.Archives;

namespace GaugeNN.Ingest.Android;

/// <summary>Walks a DEX file's string table, the list every class, method and constant name of the code goes through.</summary>
public static class DexStrings
{
    private const int HeaderSize = 0x70, StringIdsSize = 0x38, StringIdsOffset = 0x3C;
    private const int Uleb128MaxBytes = 5;

    public static bool IsDex(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= HeaderSize && bytes.StartsWith("dex\n"u8) && bytes[7] == 0;

    /// <summary>Calls <paramref name="visit"/> with the MUTF-8 bytes of each string (without its terminator).</summary>
    public static void ForEach<TState>(ReadOnlySpan<byte> dex, TState state, SpanVisitor<TState> visit)
    {
        if (!IsDex(dex)) throw new ArchiveException(0, "magic", "not a DEX file");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(dex[StringIdsSize..]);
        uint idsOffset = BinaryPrimitives.ReadUInt32LittleEndian(dex[StringIdsOffset..]);
        if (idsOffset > dex.Length || count > (dex.Length - idsOffset) / 4)
            throw new ArchiveException(StringIdsOffset, "string_ids", $"{count} string ids at {idsOffset} do not fit in {dex.Length} bytes");
        // Honest string data items are disjoint, so visiting them reads each byte at most once; ids crafted to point
        // into one long unterminated run would make the walk quadratic, so the bytes read are capped.
        long readBudget = 2L * dex.Length + HeaderSize;
        for (int i = 0; i < count; i++)
        {
            int idAt = (int)idsOffset + 4 * i;
            uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(dex[idAt..]);
            if (dataOffset >= dex.Length)
                throw new ArchiveException(idAt, "string_data_off", $"string {i} data at {dataOffset} is past the file");
            var data = dex[(int)dataOffset..];
            int skip = Uleb128Length(data, dataOffset);
            data = data[skip..];
            int end = data.IndexOf((byte)0);
            if (end < 0) throw new ArchiveException(dataOffset, "string_data", $"string {i} has no terminator");
            readBudget -= skip + end + 1;
            if (readBudget < 0)
                throw new ArchiveException(idAt, "string_ids", $"string ids revisit the same bytes (string {i}): the table is crafted, not compiled");
            visit(state, data[..end]);
        }
    }

    public delegate void SpanVisitor<in TState>(TState state, ReadOnlySpan<byte> value);

    private static int Uleb128Length(ReadOnlySpan<byte> data, long at)
    {
        for (int i = 0; i < Math.Min(Uleb128MaxBytes, data.Length); i++)
            if ((data[i] & 0x80) == 0) return i + 1;
        throw new ArchiveException(at, "utf16_size", "uleb128 length is unterminated or longer than 5 bytes");
    }
}
