using GaugeNN.Formats.Archives;

namespace GaugeNN.Formats.Tests;

public sealed class ZipReaderTests
{
    [Fact]
    public void crc32_matches_the_check_value_of_the_zip_polynomial()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        var random = new byte[10_007];
        new Random(9).NextBytes(random);
        Assert.Equal(Crc32.Compute(random), Crc32.Append(Crc32.Compute(random.AsSpan(0, 5000)), random.AsSpan(5000)));
    }

    [Fact]
    public void stored_and_deflated_entries_read_back_with_their_storage_and_exact_bytes()
    {
        var text = "hello hello hello hello"u8.ToArray();
        var zip = ZipReader.Open(ByteSource.FromMemory(ZipBytes.Build(("a.txt", text, true), ("b/c.txt", text, false), ("d/", [], true))), new ZipLimits());
        Assert.Equal(["a.txt", "b/c.txt", "d/"], zip.Entries.Select(e => e.Name));
        Assert.Equal(["stored", "deflated"], zip.Entries.Take(2).Select(e => e.Storage));
        Assert.True(zip.Entries[2].IsDirectory);
        var budget = new InflationBudget(1000);
        Assert.Equal(text, zip.ReadContent(zip.Entries[0], budget));
        Assert.Equal(text, zip.ReadContent(zip.Entries[1], budget));
        Assert.Equal(1000 - text.Length, budget.Remaining);
    }

    [Fact]
    public void too_many_entries_fail_before_the_central_directory_is_read()
    {
        var zip = ZipBytes.Build(Enumerable.Range(0, 20).Select(i => ($"f{i}", new byte[1], true)).ToArray());
        var e = Assert.Throws<ArchiveException>(() => ZipReader.Open(ByteSource.FromMemory(zip), new ZipLimits { MaxEntries = 10 }));
        Assert.Equal("entry count", e.Field);
    }
}
