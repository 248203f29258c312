using System.Text;

namespace GaugeNN.Measure.Tests;

/// <summary>
/// Small ONNX models written field by field (onnx/onnx.proto: ModelProto, GraphProto, NodeProto, ValueInfoProto,
/// TypeProto.Tensor, TensorShapeProto), for inputs of every element type and of symbolic shapes.
/// </summary>
internal static class OnnxModels
{
    /// <summary>An Identity model, input x → output y, element type and dims (a string dim is a symbolic dim_param).</summary>
    public static byte[] Identity(int elementType, params object[] dims)
    {
        var shape = dims.Select(d => Message(1, Dim(d))).SelectMany(b => b).ToArray();
        var typeProto = Message(1, Concat(Varint(1, elementType), Message(2, shape))); // TypeProto { tensor_type }
        byte[] ValueInfo(string name) => Concat(String(1, name), Message(2, typeProto));
        var graph = Concat(
            Message(1, Concat(String(1, "x"), String(2, "y"), String(3, "identity"), String(4, "Identity"))),
            String(2, "g"),
            Message(11, ValueInfo("x")),
            Message(12, ValueInfo("y")));
        // ir_version 10 and opset 21: the versions that admit float8 and int4 tensors.
        return Concat(Varint(1, 10), String(2, "gaugenn-tests"), Message(7, graph), Message(8, Concat(String(1, ""), Varint(2, 21))));
    }

    private static byte[] Dim(object dim) => dim switch
    {
        int v => Varint(1, v),
        string p => String(2, p),
        _ => throw new ArgumentException($"dim {dim}"),
    };

    private static byte[] Varint(int field, long value) => Concat(Key(field, 0), Raw((ulong)value));

    private static byte[] String(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Message(int field, byte[] payload) => Concat(Key(field, 2), Raw((ulong)payload.Length), payload);

    private static byte[] Key(int field, int wire) => Raw((ulong)(field << 3 | wire));

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        } while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
