using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GaugeNN.Application;

/// <summary>
/// One of <see cref="Count"/> ingest workers: it takes the apps whose package hashes to <see cref="Index"/>
/// (sha256 of the package name, first 8 bytes, modulo the count), so N workers on N machines split a snapshot with
/// no coordination and, together, append exactly what one worker would. Facts of the listing file itself (bad lines)
/// belong to shard 0.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int index) && int.TryParse(parts[1], out int count)
            && count >= 1 && index >= 0 && index < count)
            return new Shard(index, count);
        throw new ArgumentException($"shard '{text}' is not i/N with 0 <= i < N (e.g. 0/4)");
    }

    public bool Takes(string package) =>
        package.Length == 0 ? Index == 0 : (int)(Hash(package) % (ulong)Count) == Index;

    private static ulong Hash(string package) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(package)));

    public override string ToString() => $"{Index}/{Count}";
}
