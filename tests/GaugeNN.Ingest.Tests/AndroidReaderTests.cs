using System.Buffers.Binary;
using System.Text;
using GaugeNN.Formats.Archives;
using GaugeNN.Ingest.Android;

namespace GaugeNN.Ingest.Tests;

public sealed class AndroidReaderTests
{
    private static byte[] Manifest(bool utf8, bool obfuscatedNames)
    {
        var b = new AxmlBuilder(utf8);
        string Named(string name) => obfuscatedNames ? "" : name;
        uint name = b.AttributeName(Named("name"), 0x01010003);
        uint versionCode = b.AttributeName(Named("versionCode"), 0x0101021b);
        uint versionName = b.AttributeName(Named("versionName"), 0x0101021c);
        uint minSdk = b.AttributeName(Named("minSdkVersion"), 0x0101020c);
        uint targetSdk = b.AttributeName(Named("targetSdkVersion"), 0x01010270);
        uint package = b.String("package");
        b.Element("manifest", (package, AxmlBuilder.TypeString, b.String("org.example.app")), (versionCode, AxmlBuilder.TypeIntDec, 42),
            (versionName, AxmlBuilder.TypeString, b.String("4.2-ü")));
        b.Element("uses-sdk", (minSdk, AxmlBuilder.TypeIntDec, 24), (targetSdk, AxmlBuilder.TypeIntDec, 33));
        b.Element("uses-permission", (name, AxmlBuilder.TypeString, b.String("android.permission.CAMERA")));
        b.Element("uses-permission", (name, AxmlBuilder.TypeString, b.String("android.permission.INTERNET")));
        b.Element("uses-feature", (name, AxmlBuilder.TypeString, b.String("android.hardware.camera")));
        return b.Build();
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void the_manifest_reader_reads_utf8_and_utf16_pools_and_finds_obfuscated_attributes_by_resource_id(bool utf8, bool obfuscated)
    {
        var manifest = AndroidManifest.Read(Manifest(utf8, obfuscated));
        Assert.Equal("org.example.app", manifest.Package);
        Assert.Equal(42, manifest.VersionCode);
        Assert.Equal("4.2-ü", manifest.VersionName);
        Assert.Equal((24, 33), (manifest.MinSdk, manifest.TargetSdk));
        Assert.Equal(["android.permission.CAMERA", "android.permission.INTERNET"], manifest.Permissions);
        Assert.Equal(["android.hardware.camera"], manifest.Features);
        Assert.Null(manifest.Split);
    }

    [Fact]
    public void a_string_index_past_the_pool_fails_with_the_offset_and_field()
    {
        var bytes = Manifest(utf8: true, obfuscatedNames: false);
        int element = bytes.AsSpan().IndexOf((byte[])[0x02, 0x01, 0x10, 0x00]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(element + 20), 9999);
        var e = Assert.Throws<ArchiveException>(() => AndroidManifest.Read(bytes));
        Assert.Equal("element name", e.Field);
        Assert.Equal(element, e.Offset);
    }

    /// <summary>A minimal DEX: header, string_ids, then string_data items (uleb128 length, MUTF-8, NUL).</summary>
    public static byte[] Dex(params string[] strings)
    {
        const int header = 0x70;
        var data = new List<byte>();
        var offsets = new List<int>();
        int dataStart = header + 4 * strings.Length;
        foreach (var s in strings)
        {
            offsets.Add(dataStart + data.Count);
            data.Add((byte)s.Length);
            data.AddRange(Encoding.ASCII.GetBytes(s));
            data.Add(0);
        }
        var dex = new byte[dataStart + data.Count];
        "dex\n035\0"u8.CopyTo(dex);
        BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(0x38), (uint)strings.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(0x3C), header);
        for (int i = 0; i < offsets.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(header + 4 * i), (uint)offsets[i]);
        data.CopyTo(dex, dataStart);
        return dex;
    }

    [Fact]
    public void the_dex_reader_visits_every_string_of_the_table()
    {
        var seen = new List<string>();
        DexStrings.ForEach(Dex("Ljava/lang/Object;", "Lorg/tensorflow/lite/Interpreter;", "hello"), seen, (list, value) => list.Add(Encoding.UTF8.GetString(value)));
        Assert.Equal(["Ljava/lang/Object;", "Lorg/tensorflow/lite/Interpreter;", "hello"], seen);
    }

    [Fact]
    public void dex_string_ids_that_all_point_into_one_long_run_fail_instead_of_taking_quadratic_time()
    {
        const int ids = 20_000, run = 200_000;
        var dex = new byte[0x70 + 4 * ids + run];
        "dex\n035\0"u8.CopyTo(dex);
        BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(0x38), ids);
        BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(0x3C), 0x70);
        int data = 0x70 + 4 * ids;
        for (int i = 0; i < ids; i++) BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(0x70 + 4 * i), (uint)data);
        dex.AsSpan(data + 1, run - 2).Fill((byte)'a');
        Assert.Equal("string_ids", Assert.Throws<ArchiveException>(() => DexStrings.ForEach(dex, 0, (_, _) => { })).Field);
    }

    [Fact]
    public void a_dex_string_id_past_the_file_fails_with_the_typed_exception()
    {
        var dex = Dex("La;");
        BinaryPrimitives.WriteUInt32LittleEndian(dex.AsSpan(0x70), 1_000_000);
        Assert.Equal("string_data_off", Assert.Throws<ArchiveException>(() => DexStrings.ForEach(dex, 0, (_, _) => { })).Field);
    }
}
