using System.Buffers.Binary;
using GaugeNN.Events;

namespace GaugeNN.Ingest.Tests;

/// <summary>Framework evidence, bundles, ncnn pairing and encrypted models, each in an APK built in the test and scanned for real.</summary>
public sealed class DetectionTests
{
    private static readonly string Models = Path.Combine(RepoPaths.Root, "tests", "fixtures", "models");
    private static byte[] Model(string path) => File.ReadAllBytes(Path.Combine(Models, path));

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<AppScan> ScanOne(string fileName, byte[] bytes)
    {
        using var root = new TempFolder();
        File.WriteAllBytes(root.Combine(fileName), bytes);
        return Assert.Single(await Scanning.ScanAsync("s", root.Path));
    }

    private static List<(string, string, string)> Evidence(AppScan scan) =>
        scan.Of<FrameworkEvidenceFound>().Select(e => (e.Framework, e.Kind, e.Detail)).ToList();

    [Fact]
    public async Task dex_class_references_are_framework_evidence_once_per_framework_and_prefix()
    {
        var dex = AndroidReaderTests.Dex("Lcom/amazonaws/services/rekognition/AmazonRekognitionClient;", "Ljava/lang/Object;",
            "Lorg/tensorflow/lite/Interpreter;", "Lorg/tensorflow/lite/gpu/GpuDelegate;", "Lkotlinx/coroutines/debug/internal/DebugProbesKt;");
        var scan = await ScanOne("dex.apk", ZipBytes.Build(("classes.dex", dex, false), ("classes2.dex", dex, false)));
        Assert.Equal([("cloud:aws-rekognition", "dex", "Lcom/amazonaws/services/rekognition/"), ("tflite", "dex", "Lorg/tensorflow/lite/")], Evidence(scan));
        Assert.Empty(scan.Of<ModelFileFound>());
    }

    [Fact]
    public async Task native_libraries_are_evidence_by_name_and_by_the_strings_compiled_into_them()
    {
        byte[] Elf(string text) => [.. "\u007fELF"u8, .. new byte[60], .. System.Text.Encoding.ASCII.GetBytes(text)];
        var scan = await ScanOne("libs.apk", ZipBytes.Build(
            ("lib/arm64-v8a/libonnxruntime.so", Elf("nothing"), false),
            ("lib/armeabi-v7a/libonnxruntime.so", Elf("nothing"), false),
            ("lib/arm64-v8a/libgame.so", Elf("vtable for N4ncnn5LayerE"), false),
            ("lib/arm64-v8a/libpytorch_jni_lite.so", Elf(""), true)));
        Assert.Equal([("onnx", "native-lib", "libonnxruntime.so"), ("ncnn", "native-lib", "libgame.so: N4ncnn5LayerE"), ("pytorch", "native-lib", "libpytorch_jni_lite.so")],
            Evidence(scan));
    }

    [Fact]
    public async Task an_xapk_bundle_with_a_manifest_json_takes_the_version_from_its_base_apk_and_finds_models_in_its_splits()
    {
        var baseApk = File.ReadAllBytes(Path.Combine(RepoPaths.Snapshot("2020-02"), "org.gaugenn.fixture.caffeapp.apk"));
        var split = ZipBytes.Build(("assets/m.tflite", Model("tflite/hand_recrop.tflite"), true));
        var xapk = ZipBytes.Build(("manifest.json", """{"package_name":"org.gaugenn.fixture.caffeapp"}"""u8.ToArray(), false),
            ("org.gaugenn.fixture.caffeapp.apk", baseApk, true), ("config.arm64_v8a.apk", split, false));
        var scan = await ScanOne("bundle.xapk", xapk);
        Assert.Equal("org.gaugenn.fixture.caffeapp", scan.Package);
        Assert.Equal(1, Assert.Single(scan.Of<ApkScanned>()).VersionCode);
        Assert.Equal(["config.arm64_v8a.apk!/assets/m.tflite", "org.gaugenn.fixture.caffeapp.apk!/assets/lenet.prototxt"],
            scan.Of<ModelFileFound>().Select(m => m.Path).Order(StringComparer.Ordinal));
        Assert.Equal("deflated", scan.Of<ModelFileFound>().Single(m => m.Format == "caffe").Storage);
    }

    [Fact]
    public async Task ncnn_weights_are_paired_with_their_param_and_never_counted_as_models_or_encrypted()
    {
        var scan = await ScanOne("ncnn.apk", ZipBytes.Build(
            ("assets/squeezenet.param", Model("ncnn/squeezenet_v1.1.param"), false), ("assets/squeezenet.bin", Random(100_000, 1), true)));
        var model = Assert.Single(scan.Of<ModelFileFound>());
        Assert.Equal(("assets/squeezenet.param", "ncnn", false), (model.Path, model.Format, model.Encrypted));
        Assert.Contains("weights:assets/squeezenet.bin", model.Evidence);
    }

    [Fact]
    public async Task a_random_file_named_like_a_model_is_an_encrypted_model_and_one_with_a_common_name_is_not()
    {
        var scan = await ScanOne("enc.apk", ZipBytes.Build(
            ("assets/secret.onnx", Random(50_000, 2), true), ("assets/blob.bin", Random(50_000, 3), true),
            ("assets/zeros.tflite", new byte[50_000], true)));
        var model = Assert.Single(scan.Of<ModelFileFound>());
        Assert.Equal(("assets/secret.onnx", "onnx", true), (model.Path, model.Format, model.Encrypted));
        Assert.True(model.Entropy > 7.9);
        Assert.Empty(scan.Of<FrameworkEvidenceFound>());
    }

    [Fact]
    public async Task a_tflite_model_embedded_in_a_native_library_is_found_at_its_offset()
    {
        var tflite = Model("tflite/hand_recrop.tflite");
        byte[] library = [.. "\u007fELF"u8, .. Random(1000, 4), .. tflite, .. Random(500, 5)];
        var scan = await ScanOne("embedded.apk", ZipBytes.Build(("lib/arm64-v8a/libmodels.so", library, false)));
        var model = Assert.Single(scan.Of<ModelFileFound>());
        Assert.Equal(("lib/arm64-v8a/libmodels.so@1004", tflite.Length, "tflite"), (model.Path, model.Bytes, model.Format));
    }

    [Fact]
    public async Task every_model_found_is_kept_in_the_blob_store_under_its_sha256()
    {
        using var root = new TempFolder();
        string snapshot = root.Combine("snapshot"), data = root.Combine("data");
        Directory.CreateDirectory(snapshot);
        File.Copy(Path.Combine(RepoPaths.Snapshot("2020-02"), "org.gaugenn.fixture.packed.apk"), Path.Combine(snapshot, "packed.apk"));
        var store = new GaugeNN.Application.ModelBlobStore(data);
        var scan = Assert.Single(await Scanning.ScanAsync("s", snapshot, new IngestOptions(), store));
        var model = Assert.Single(scan.Of<ModelFileFound>());
        Assert.Equal(model.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(store.Get(model.Sha256))));
        Assert.Single(Directory.GetFiles(data, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task a_zip64_archive_is_read_through_its_zip64_end_record()
    {
        var zip = ToZip64(ZipBytes.Build(("assets/m.tflite", Model("tflite/hand_recrop.tflite"), true)));
        var scan = await ScanOne("zip64.apk", zip);
        Assert.Empty(scan.Of<AppScanFailed>());
        Assert.Equal("assets/m.tflite", Assert.Single(scan.Of<ModelFileFound>()).Path);
    }

    /// <summary>Rewrites the end of a zip as Zip64 (APPNOTE 4.3.14/4.3.15): a Zip64 end record and locator, classic fields set to their markers.</summary>
    private static byte[] ToZip64(byte[] zip)
    {
        int eocd = zip.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(eocd + 10));
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(eocd + 12));
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(eocd + 16));
        var end64 = new byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(end64, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(end64.AsSpan(4), 44);
        BinaryPrimitives.WriteUInt64LittleEndian(end64.AsSpan(24), count);
        BinaryPrimitives.WriteUInt64LittleEndian(end64.AsSpan(32), count);
        BinaryPrimitives.WriteUInt64LittleEndian(end64.AsSpan(40), size);
        BinaryPrimitives.WriteUInt64LittleEndian(end64.AsSpan(48), offset);
        var locator = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(locator.AsSpan(8), (ulong)eocd);
        BinaryPrimitives.WriteUInt32LittleEndian(locator.AsSpan(16), 1);
        var classic = zip.AsSpan(eocd).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(classic.AsSpan(8), 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(classic.AsSpan(10), 0xFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(classic.AsSpan(12), 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(classic.AsSpan(16), 0xFFFFFFFF);
        return [.. zip.AsSpan(0, eocd), .. end64, .. locator, .. classic];
    }
}
