// Spec: CRC-32 of PKWARE APPNOTE.TXT 6.3.10 section 4.4.7 (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320, reflected).
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace GaugeNN.Formats.Archives;

/// <summary>Table-driven CRC-32, slicing by 8 so that checking every entry costs little beside inflating it.</summary>
public static class Crc32
{
    private const uint Polynomial = 0xEDB88320;
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> bytes) => Append(0, bytes);

    // Every byte of every entry passes through this loop: compile it fully optimised at once instead of running the
    // unoptimised first tier until on-stack replacement kicks in.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        // GaugeNN.Formats checks arithmetic for overflow; CRC arithmetic is modulo 2^32 by definition and this loop is hot.
        unchecked
        {
            uint c = ~crc;
            var t = Table;
            while (bytes.Length >= 8)
            {
                uint low = c ^ BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                uint high = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
                c = t[7 * 256 + (low & 0xFF)] ^ t[6 * 256 + ((low >> 8) & 0xFF)] ^ t[5 * 256 + ((low >> 16) & 0xFF)] ^ t[4 * 256 + (low >> 24)]
                  ^ t[3 * 256 + (high & 0xFF)] ^ t[2 * 256 + ((high >> 8) & 0xFF)] ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
                bytes = bytes[8..];
            }
            foreach (byte b in bytes)
                c = t[(c ^ b) & 0xFF] ^ (c >> 8);
            return ~c;
        }
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        for (int slice = 1; slice < 8; slice++)
            for (int i = 0; i < 256; i++)
            {
                uint previous = table[(slice - 1) * 256 + i];
                table[slice * 256 + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        return table;
    }
}
