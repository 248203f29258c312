using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GaugeNN.Events;
using GaugeNN.Formats.FlatBuffers;
using S = GaugeNN.Formats.Tflite.TfliteSchema;

namespace GaugeNN.Formats.Tests;

public class ArchitectureFingerprintTests
{
    private const string Model = "tflite/hand_recrop.tflite";

    [Fact]
    public void rewriting_every_weight_byte_keeps_the_fingerprint_but_changes_the_sha256()
    {
        var original = Fixtures.Read(Model);
        var rewritten = (byte[])original.Clone();
        var model = new FlatBuffer(rewritten, "tflite").Root();
        var buffers = model.Vector(S.Model.Buffers, 4, "buffers");
        int rewrittenBuffers = 0;
        for (int i = 0; i < buffers.Count; i++)
        {
            var data = buffers.Table(i).Vector(S.Buffer.Data, 1, "data");
            if (data.Count == 0) continue;
            for (int b = data.Start; b < data.Start + data.Count; b++) rewritten[b] ^= 0x5A;
            rewrittenBuffers++;
        }

        var before = Dissect(original);
        var after = Dissect(rewritten);

        Assert.True(rewrittenBuffers > 10);
        Assert.NotEqual(before.Sha256, after.Sha256);
        Assert.Equal(before.ArchFingerprint, after.ArchFingerprint);
    }

    [Fact]
    public void changing_one_operator_code_changes_the_fingerprint()
    {
        var original = Fixtures.Read(Model);
        var changed = (byte[])original.Clone();
        var codes = new FlatBuffer(changed, "tflite").Root().Vector(S.Model.OperatorCodes, 4, "operator_codes");
        var conv = Enumerable.Range(0, codes.Count).Select(codes.Table)
            .First(c => c.SByte(S.OperatorCode.DeprecatedBuiltinCode, "code") == 3);
        var field = conv.Scalar(S.OperatorCode.DeprecatedBuiltinCode, 1, "deprecated_builtin_code");
        int offset = (int)Unsafe.ByteOffset(ref changed[0], ref MemoryMarshal.GetReference(field));
        changed[offset] = 4; // CONV_2D becomes DEPTHWISE_CONV_2D

        var before = Dissect(original);
        var after = Dissect(changed);

        Assert.NotEqual(before.ArchFingerprint, after.ArchFingerprint);
        Assert.Contains(after.Ops, op => op.Name == "DEPTHWISE_CONV_2D" && op.Count > before.Ops.Single(o => o.Name == "DEPTHWISE_CONV_2D").Count);
    }

    [Fact]
    public void the_int8_weight_variant_of_a_model_keeps_its_op_histogram_but_not_its_fingerprint()
    {
        var float32 = Dissect(Fixtures.Read(Model));
        var int8 = Dissect(Fixtures.Read("tflite/derived/hand_recrop_int8w.tflite"));

        Assert.Equal(float32.Ops, int8.Ops);
        Assert.NotEqual(float32.ArchFingerprint, int8.ArchFingerprint); // weight dtypes are part of the structure
    }

    [Fact]
    public void renaming_every_blob_of_an_ncnn_network_keeps_its_fingerprint()
    {
        var original = Fixtures.Read("ncnn/squeezenet_v1.1.param");
        var renamed = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(original).Replace("fire", "blk"));

        var before = Assert.IsType<ModelDissected>(ModelDissector.Dissect(original, "ncnn", TimeProvider.System));
        var after = Assert.IsType<ModelDissected>(ModelDissector.Dissect(renamed, "ncnn", TimeProvider.System));

        Assert.NotEqual(before.Sha256, after.Sha256);
        Assert.Equal(before.ArchFingerprint, after.ArchFingerprint);
    }

    private static ModelDissected Dissect(byte[] bytes) =>
        Assert.IsType<ModelDissected>(ModelDissector.Dissect(bytes, "tflite", TimeProvider.System));
}
