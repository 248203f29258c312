using System.Text;

namespace GaugeNN.Formats.Tests;

public class FormatProbeTests
{
    public static TheoryData<string> AllFixtures() => Fixtures.Theory(
        Directory.EnumerateFiles(Fixtures.ModelsFolder, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith("SOURCES.tsv", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(Fixtures.ModelsFolder, p)));

    public static TheoryData<string> TfliteFixtures() => Fixtures.Theory(Fixtures.KeysOf("tflite"));

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void every_fixture_model_is_identified_as_the_format_of_its_folder(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.ModelsFolder, relativePath));
        string folder = relativePath.Split(Path.DirectorySeparatorChar)[0];

        var identification = FormatProbe.Identify(bytes, Path.GetFileName(relativePath));

        Assert.NotNull(identification);
        Assert.Equal(folder, identification.Format);
        Assert.Contains("structure", identification.Evidence);
    }

    [Theory]
    [MemberData(nameof(TfliteFixtures))]
    public void tflite_length_finds_the_end_of_a_model_followed_by_random_bytes(string key)
    {
        var model = Fixtures.Read(key);
        var padded = new byte[model.Length + 10_240];
        model.CopyTo(padded, 0);
        new Random(key.Length).NextBytes(padded.AsSpan(model.Length));

        Assert.Equal(model.Length, FormatProbe.TfliteLength(padded));
    }

    [Fact]
    public void the_embedded_selfie_segmentation_model_ends_at_byte_249024()
    {
        var model = Fixtures.Read("tflite/selfie_segmentation.tflite");
        var blob = model.Concat(Fixtures.Read("tflite/hand_recrop.tflite")).ToArray();

        Assert.Equal(249_024, FormatProbe.TfliteLength(blob));
    }

    [Fact]
    public void a_tflite_model_with_weights_stored_after_the_flatbuffer_ends_after_those_weights()
    {
        // make_external_buffer_tflite.py: the filter's Buffer has offset 528 and size 432, the file 960 bytes.
        var model = Fixtures.Read("local/external_buffer.tflite");
        var padded = model.Concat(new byte[4096]).ToArray();

        Assert.Equal(model.Length, FormatProbe.TfliteLength(padded));
        Assert.Null(FormatProbe.TfliteLength(model.AsMemory(0, model.Length - 1)));
    }

    [Fact]
    public void a_tflite_model_cut_short_has_no_length()
    {
        var model = Fixtures.Read("tflite/hand_recrop.tflite");

        Assert.Null(FormatProbe.TfliteLength(model.AsMemory(0, model.Length / 2)));
    }

    [Theory]
    [InlineData("classes.bin")]
    [InlineData("vocab.model")]
    [InlineData("graph.pb")]
    [InlineData("config.json")]
    [InlineData("model.onnx")]
    [InlineData("net.prototxt")]
    [InlineData("net.mnn")]
    [InlineData("model.tflite")]
    public void files_that_only_share_a_model_extension_are_not_models(string name)
    {
        var random = new byte[4096];
        new Random(42).NextBytes(random);
        var json = Encoding.UTF8.GetBytes("{\"labels\": [\"cat\", \"dog\"], \"layer\": {\"type\": \"x\"}}");
        var text = Encoding.UTF8.GetBytes("hello world\nthis is a readme\n");

        Assert.Null(FormatProbe.Identify(random, name));
        Assert.Null(FormatProbe.Identify(json, name));
        Assert.Null(FormatProbe.Identify(text, name));
        Assert.Null(FormatProbe.Identify([], name));
    }

    [Fact]
    public void a_tflite_identifier_on_random_bytes_is_not_a_model()
    {
        var bytes = new byte[2048];
        new Random(7).NextBytes(bytes);
        "TFL3"u8.CopyTo(bytes.AsSpan(4));

        Assert.Null(FormatProbe.Identify(bytes, "x.tflite"));
    }

    [Fact]
    public void an_ncnn_binary_param_is_identified_by_its_int32_header()
    {
        var bytes = Fixtures.Read("ncnn/squeezenet_v1.1.param.bin");

        Assert.Equal("ncnn", FormatProbe.Identify(bytes, "anything.bin")?.Format);
    }

    [Fact]
    public void a_zip_with_the_entries_snpe_writes_is_a_dlc_only_under_its_extension()
    {
        var dlc = Zip("model", "model.params", "dlc.metadata");
        var other = Zip("res/layout.xml", "classes.dex");

        Assert.Equal("snpe", FormatProbe.Identify(dlc, "assets/net.dlc")?.Format);
        Assert.Null(FormatProbe.Identify(dlc, "assets/net.zip"));
        Assert.Null(FormatProbe.Identify(other, "assets/net.dlc"));
    }

    [Fact]
    public void a_paddle_lite_header_is_recognised_only_under_the_nb_extension()
    {
        var header = new byte[64];
        header[0] = 1; // meta_version
        "v2.10"u8.CopyTo(header.AsSpan(2));

        Assert.Equal("paddle", FormatProbe.Identify(header, "model.nb")?.Format);
        Assert.Null(FormatProbe.Identify(header, "model.bin"));
        Assert.Null(FormatProbe.Identify("hello world, not a model at all"u8, "model.nb"));
    }

    private static byte[] Zip(params string[] names) =>
        ZipBytes.Build(names.Select(name => (name, Encoding.UTF8.GetBytes(name), Stored: false)).ToArray());
}
