using GaugeNN.Formats;
using GaugeNN.Formats.Archives;
using GaugeNN.Ingest.Detection;

namespace GaugeNN.Ingest.Tests;

/// <summary>The zip caps of <see cref="IngestOptions"/> are the <see cref="ZipLimits"/> every archive of a scan is opened with.</summary>
public sealed class IngestOptionsTests
{
    [Fact]
    public void the_defaults_are_the_zip_readers_and_the_dissectors_own()
    {
        var options = new IngestOptions();

        Assert.Equal(new ZipLimits(), options.ZipLimits);
        Assert.Equal(ModelDissector.EncryptedEntropyBits, options.EncryptedEntropyBitsPerByte);
    }

    [Fact]
    public void each_zip_cap_set_on_the_options_reaches_the_zip_limits_and_survives_a_copy()
    {
        var options = new IngestOptions { MaxEntryBytes = 1, MaxCompressionRatio = 2, MaxEntries = 3 } with { MaxCentralDirectoryBytes = 4, Parallelism = 5 };

        Assert.Equal(new ZipLimits { MaxEntryBytes = 1, MaxCompressionRatio = 2, MaxEntries = 3, MaxCentralDirectoryBytes = 4 }, options.ZipLimits);
        Assert.Equal((1L, 2.0, 3, 4L), (options.MaxEntryBytes, options.MaxCompressionRatio, options.MaxEntries, options.MaxCentralDirectoryBytes));
    }

    [Fact]
    public void an_archive_declaring_more_entries_than_the_options_allow_is_reported_before_its_directory_is_read()
    {
        var zip = ZipBytes.Build(Enumerable.Range(0, 20).Select(i => ($"f{i}", new byte[1], true)).ToArray());
        var findings = new AppFindings();

        bool readable = new ArchiveWalker(new IngestOptions { MaxEntries = 10 }, models: null)
            .WalkFile(ByteSource.FromMemory(zip), "many.apk", "", findings, new InflationBudget(1000));

        Assert.False(readable);
        Assert.Contains("field 'entry count'", Assert.Single(findings.Problems).Reason);
    }
}
