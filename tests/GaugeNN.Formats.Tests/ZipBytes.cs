using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GaugeNN.Formats.Tests;

/// <summary>
/// Builds zips with System.IO.Compression, then edits their bytes to make them hostile. Shared with
/// GaugeNN.Ingest.Tests, which compiles this file too.
/// </summary>
public static class ZipBytes
{
    public const uint CentralHeaderSignature = 0x02014b50;
    public const uint LocalHeaderSignature = 0x04034b50;

    public static byte[] Build(params (string Name, byte[] Content, bool Stored)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content, stored) in entries)
            {
                var entry = zip.CreateEntry(name, stored ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(content);
            }
        return buffer.ToArray();
    }

    /// <summary>Replaces every occurrence of <paramref name="from"/> by <paramref name="to"/> (same length: names in both headers).</summary>
    public static byte[] ReplaceAll(byte[] zip, string from, string to)
    {
        byte[] a = Encoding.UTF8.GetBytes(from), b = Encoding.UTF8.GetBytes(to);
        if (a.Length != b.Length) throw new ArgumentException("replacement must keep the length");
        var copy = (byte[])zip.Clone();
        for (int i = copy.AsSpan().IndexOf(a); i >= 0;)
        {
            b.CopyTo(copy, i);
            int next = copy.AsSpan(i + 1).IndexOf(a);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return copy;
    }

    /// <summary>Replaces the first occurrence only: in a zip written front to back, the name in the local header.</summary>
    public static byte[] ReplaceFirst(byte[] zip, string from, string to)
    {
        byte[] a = Encoding.UTF8.GetBytes(from), b = Encoding.UTF8.GetBytes(to);
        if (a.Length != b.Length) throw new ArgumentException("replacement must keep the length");
        var copy = (byte[])zip.Clone();
        b.CopyTo(copy, copy.AsSpan().IndexOf(a));
        return copy;
    }

    /// <summary>Offsets of all central-directory headers, in directory order.</summary>
    public static List<int> CentralHeaders(byte[] zip)
    {
        var offsets = new List<int>();
        for (int i = 0; i <= zip.Length - 4; i++)
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == CentralHeaderSignature) offsets.Add(i);
        return offsets;
    }

    /// <summary>Sets general-purpose flag bits in both the central and the local header of every entry.</summary>
    public static byte[] SetFlags(byte[] zip, ushort bits)
    {
        var copy = (byte[])zip.Clone();
        foreach (int central in CentralHeaders(copy))
        {
            Or(copy, central + 8, bits);
            int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(central + 42));
            Or(copy, local + 6, bits);
        }
        return copy;
    }

    private static void Or(byte[] bytes, int at, ushort bits) =>
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)) | bits));

    /// <summary>Writes a declared uncompressed size into the central header of entry <paramref name="index"/>.</summary>
    public static byte[] SetUncompressedSize(byte[] zip, int index, uint size)
    {
        var copy = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(CentralHeaders(copy)[index] + 24), size);
        return copy;
    }
}
