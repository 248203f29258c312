using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using GaugeNN.Events;
using GaugeNN.Formats.Caffe;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.Mnn;
using GaugeNN.Formats.Ncnn;
using GaugeNN.Formats.Onnx;
using GaugeNN.Formats.Paddle;
using GaugeNN.Formats.PyTorch;
using GaugeNN.Formats.TfGraph;
using GaugeNN.Formats.Tflite;

namespace GaugeNN.Formats;

/// <summary>
/// Turns a model's bytes into a <see cref="ModelDissected"/> event, or a <see cref="ModelDissectionFailed"/> one
/// with the reason when the bytes do not parse. No exception escapes: the bytes are hostile.
/// </summary>
public static class ModelDissector
{
    /// <summary>Raised whenever a change alters what a dissection reports, so stored models get re-dissected.</summary>
    public const int AnalyserVersion = 2;

    /// <summary>Above this many bits per byte, a model that does not parse is reported as looking encrypted.</summary>
    public const double EncryptedEntropyBits = 7.5;

    /// <returns>A <see cref="ModelDissected"/> or a <see cref="ModelDissectionFailed"/>.</returns>
    public static object Dissect(ReadOnlyMemory<byte> bytes, string format, TimeProvider time)
    {
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var at = time.GetUtcNow();
        try
        {
            var facts = Read(bytes, format);
            var (task, rule) = TaskRules.Infer(facts);
            return new ModelDissected(sha256, AnalyserVersion, facts.Format, facts.Params, facts.Macs,
                facts.MacsUnknownNodes, facts.MacsUnknown, facts.Quantized, facts.Layers, facts.Ops.ToList(), facts.WeightDtypes.ToList(),
                facts.Inputs, facts.Outputs, facts.Metadata, facts.Structure.Finish(), task, rule, at);
        }
        catch (Exception e)
        {
            // A reader bug must not take the ingest down with it; it is recorded as a failure that names the fault.
            string reason = e is MalformedModelException or NotSupportedException ? e.Message : $"analyser fault: {e.GetType().Name}: {e.Message}";
            double entropy = Entropy(bytes.Span);
            return new ModelDissectionFailed(sha256, AnalyserVersion, format, reason, entropy > EncryptedEntropyBits, at);
        }
    }

    /// <summary>Shannon entropy of the bytes in bits per byte (8 for random or encrypted data).</summary>
    // Ingest runs this over every model-named entry: compile it fully optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Entropy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return 0;
        Span<long> counts = stackalloc long[256];
        foreach (byte b in bytes) counts[b]++;
        double entropy = 0;
        foreach (long count in counts)
        {
            if (count == 0) continue;
            double p = (double)count / bytes.Length;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }

    /// <summary>Reads a model of a known format; throws only <see cref="MalformedModelException"/> on bad bytes.</summary>
    internal static ModelFacts Read(ReadOnlyMemory<byte> bytes, string format)
    {
        try
        {
            return ReadFormat(bytes, format);
        }
        catch (OverflowException)
        {
            throw new MalformedModelException(format, 0, "size", "a declared size or count overflows");
        }
    }

    private static ModelFacts ReadFormat(ReadOnlyMemory<byte> bytes, string format) => format switch
    {
        "tflite" => TfliteDissector.Dissect(bytes),
        "onnx" => OnnxDissector.Dissect(bytes.Span),
        "ncnn" => NcnnDissector.Dissect(bytes.Span),
        "caffe" => CaffeDissector.Dissect(bytes.Span),
        "mnn" => MnnNet.Dissect(bytes),
        "tf" => TfGraphDissector.Dissect(bytes.Span),
        "pytorch" => PyTorchDissector.Dissect(bytes),
        "paddle" => PaddleLiteDissector.Dissect(bytes),
        // Netron reads DLC from a reverse-engineered schema full of unknown fields; facts must not rest on guesses.
        "snpe" => throw new NotSupportedException(
            "not dissected: snpe (Qualcomm does not document the DLC network records inside the container)"),
        _ => throw new NotSupportedException($"not dissected: {format} (no reader for this format)"),
    };
}
