using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Formats.Tests;

/// <summary>Deterministic mutations of a valid model: byte and bit damage, hostile integers, cuts and splices.</summary>
internal sealed class Mutator(int seed)
{
    private static readonly int[] HostileInts = [0, 1, -1, 2, 4, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, int.MaxValue, int.MinValue, 0x40000000, 7767517, -233, -23300];
    private static readonly byte[] TextAlphabet = Encoding.ASCII.GetBytes("0123456789-=,{}:\" \n#abcLayerinput_dim-23330");
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] seedBytes, bool text)
    {
        var bytes = (byte[])seedBytes.Clone();
        int rounds = 1 + _random.Next(4);
        for (int r = 0; r < rounds && bytes.Length > 0; r++)
        {
            switch (_random.Next(text ? 7 : 6))
            {
                case 0:
                    bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                    break;
                case 1:
                    bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 2 when bytes.Length >= 4:
                    int at = _random.Next(bytes.Length - 3) & ~(_random.Next(2) == 0 ? 3 : 0);
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), HostileInts[_random.Next(HostileInts.Length)]);
                    break;
                case 3:
                    bytes = bytes[.._random.Next(bytes.Length)];
                    break;
                case 4:
                    int from = _random.Next(bytes.Length);
                    int length = Math.Min(bytes.Length - from, 1 + _random.Next(64));
                    int to = _random.Next(bytes.Length);
                    bytes = [.. bytes[..to], .. bytes.AsSpan(from, length), .. bytes[to..]];
                    break;
                case 5:
                    int start = _random.Next(bytes.Length);
                    int cut = Math.Min(bytes.Length - start, 1 + _random.Next(64));
                    bytes = [.. bytes[..start], .. bytes[(start + cut)..]];
                    break;
                default:
                    bytes[_random.Next(bytes.Length)] = TextAlphabet[_random.Next(TextAlphabet.Length)];
                    break;
            }
        }
        return bytes;
    }
}
