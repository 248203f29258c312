using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// Inputs made from a model's declared I/O. A symbolic or unknown dimension takes, in order: the config option
/// <c>dim.&lt;symbol&gt;</c>; 1 when its name says batch (<c>batch</c>, <c>n</c>, <c>b</c>) or it is an unnamed first
/// dimension; 128 when its name says sequence (<c>seq</c>, <c>len</c>, <c>time</c>, <c>token</c>, <c>step</c>); 1
/// otherwise. <c>shape.&lt;input&gt;=1,3,224,224</c> sets a whole input's shape. Values: floating point inputs get a
/// fixed pseudo-random sequence in [-1, 1) (no zeros or denormals to flatter a kernel), integers 1, booleans false,
/// strings "gaugenn", other types (float8, int4) zero bytes; <c>fill.&lt;input&gt;=v</c> fills an input with v.
/// </summary>
internal static class InputSynthesis
{
    public const long BatchDefault = 1, SequenceDefault = 128, OtherDefault = 1;

    /// <summary>Largest input synthesised, in elements (1 GiB of float32).</summary>
    public const long MaxElements = 1L << 28;

    // ONNX TensorProto element types newer than the managed enum (float8 ×4, uint4, int4).
    private const int Float8First = 17, Float8Last = 20, UInt4 = 21, Int4 = 22;

    public static long[] Shape(string input, NodeMetadata meta, IReadOnlyDictionary<string, string> options)
    {
        if (options.TryGetValue($"shape.{input}", out var given))
        {
            var dims = given.Split(',', StringSplitOptions.TrimEntries).Select(d =>
                long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                    : throw new ArgumentException($"option shape.{input}={given}: '{d}' is not a positive dimension")).ToArray();
            if (dims.Length != meta.Dimensions.Length)
                throw new ArgumentException($"option shape.{input}={given} has rank {dims.Length}; the model declares rank {meta.Dimensions.Length}");
            return dims;
        }
        var shape = new long[meta.Dimensions.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (meta.Dimensions[i] > 0) { shape[i] = meta.Dimensions[i]; continue; }
            var symbol = i < meta.SymbolicDimensions.Length ? meta.SymbolicDimensions[i] ?? "" : "";
            shape[i] = symbol.Length > 0 && options.TryGetValue($"dim.{symbol}", out var value)
                ? long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                    : throw new ArgumentException($"option dim.{symbol}={value} is not a positive dimension")
                : Default(symbol, i);
        }
        return shape;
    }

    internal static long Default(string symbol, int position)
    {
        var name = symbol.ToLowerInvariant();
        if (name.Contains("batch", StringComparison.Ordinal) || name is "n" or "b" || (name.Length == 0 && position == 0)) return BatchDefault;
        foreach (var word in (string[])["seq", "len", "time", "token", "step"])
            if (name.Contains(word, StringComparison.Ordinal)) return SequenceDefault;
        return OtherDefault;
    }

    public static OrtValue Create(string input, NodeMetadata meta, long[] shape, IReadOnlyDictionary<string, string> options)
    {
        if (!meta.IsTensor) throw new NotSupportedException($"input '{input}' is a {meta.OnnxValueType}: only tensor inputs are synthesised");
        long count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
            if (count > MaxElements) throw new NotSupportedException($"input '{input}' of shape [{string.Join(',', shape)}] exceeds {MaxElements} elements");
        }
        double? fill = options.TryGetValue($"fill.{input}", out var f)
            ? double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var fv) ? fv : throw new ArgumentException($"option fill.{input}={f} is not a number")
            : null;
        var type = meta.ElementDataType;
        if (type == TensorElementType.String)
        {
            var strings = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            var text = fill is { } sv ? sv.ToString(CultureInfo.InvariantCulture) : "gaugenn";
            for (int i = 0; i < count; i++) strings.StringTensorSetElementAt(text.AsSpan(), i);
            return strings;
        }
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, shape);
        try
        {
            Fill(value, type, fill);
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    private static void Fill(OrtValue value, TensorElementType type, double? fill)
    {
        var random = new Sequence();
        switch (type)
        {
            case TensorElementType.Float: Each(value.GetTensorMutableDataAsSpan<float>(), () => (float)(fill ?? random.Next())); break;
            case TensorElementType.Double: Each(value.GetTensorMutableDataAsSpan<double>(), () => fill ?? random.Next()); break;
            case TensorElementType.Float16: Each(MemoryMarshal.Cast<byte, ushort>(value.GetTensorMutableRawData()), () => BitConverter.HalfToUInt16Bits((Half)(fill ?? random.Next()))); break;
            case TensorElementType.BFloat16: Each(MemoryMarshal.Cast<byte, ushort>(value.GetTensorMutableRawData()), () => (ushort)(BitConverter.SingleToUInt32Bits((float)(fill ?? random.Next())) >> 16)); break;
            case TensorElementType.Int8: Each(value.GetTensorMutableDataAsSpan<sbyte>(), () => (sbyte)(fill ?? 1)); break;
            case TensorElementType.UInt8: Each(value.GetTensorMutableDataAsSpan<byte>(), () => (byte)(fill ?? 1)); break;
            case TensorElementType.Int16: Each(value.GetTensorMutableDataAsSpan<short>(), () => (short)(fill ?? 1)); break;
            case TensorElementType.UInt16: Each(value.GetTensorMutableDataAsSpan<ushort>(), () => (ushort)(fill ?? 1)); break;
            case TensorElementType.Int32: Each(value.GetTensorMutableDataAsSpan<int>(), () => (int)(fill ?? 1)); break;
            case TensorElementType.UInt32: Each(value.GetTensorMutableDataAsSpan<uint>(), () => (uint)(fill ?? 1)); break;
            case TensorElementType.Int64: Each(value.GetTensorMutableDataAsSpan<long>(), () => (long)(fill ?? 1)); break;
            case TensorElementType.UInt64: Each(value.GetTensorMutableDataAsSpan<ulong>(), () => (ulong)(fill ?? 1)); break;
            case TensorElementType.Bool: Each(value.GetTensorMutableDataAsSpan<bool>(), () => (fill ?? 0) != 0); break;
            case TensorElementType.Complex64: Each(MemoryMarshal.Cast<byte, float>(value.GetTensorMutableRawData()), () => (float)(fill ?? random.Next())); break;
            case TensorElementType.Complex128: Each(MemoryMarshal.Cast<byte, double>(value.GetTensorMutableRawData()), () => fill ?? random.Next()); break;
            case var t when (int)t is >= Float8First and <= Float8Last or UInt4 or Int4:
                if (fill is not null) throw new NotSupportedException($"fill is not supported for element type {(int)t}");
                value.GetTensorMutableRawData().Clear();
                break;
            default: throw new NotSupportedException($"element type {type} ({(int)type}) is not synthesised");
        }
    }

    private static void Each<T>(Span<T> span, Func<T> next)
    {
        for (int i = 0; i < span.Length; i++) span[i] = next();
    }

    /// <summary>A fixed xorshift sequence in [-1, 1): the same inputs on every run and every machine.</summary>
    private sealed class Sequence
    {
        private ulong state = 0x9E3779B97F4A7C15;

        public double Next()
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (state >> 11) * (2.0 / (1UL << 53)) - 1.0;
        }
    }
}
