using GaugeNN.Application;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Files;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Every writer builds its paths from data through one helper, and nothing lands outside its root.</summary>
public sealed class SafePathTests
{
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("../../etc")]
    [InlineData("x\0y")]
    [InlineData("line\nbreak")]
    public void a_segment_that_is_not_a_plain_name_is_refused(string segment)
    {
        Assert.Throws<UnsafePathException>(() => SafePath.Under("/tmp/root", segment));
    }

    [Fact]
    public void plain_segments_stay_under_the_root()
    {
        Assert.Equal("/tmp/root/fact_app_model/snapshot=2021-04/part-0.parquet",
            SafePath.Under("/tmp/root", "fact_app_model", "snapshot=2021-04", "part-0.parquet"));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("ab/../../x")]
    [InlineData("8D13B7FAE74AF625C641226813616A2117BD6BCA19EB3B75574621FC08557F27")]
    [InlineData("8d13")]
    public void the_blob_store_refuses_a_name_that_is_not_a_lowercase_sha256(string name)
    {
        var store = new ModelBlobStore(Path.Combine(Path.GetTempPath(), "gaugenn-never-written"));
        Assert.Throws<ArgumentException>(() => store.Keep(name, [1, 2, 3]));
        Assert.False(Directory.Exists(store.Root));
    }

    [Theory]
    [InlineData("2021-04", "2021-04")]
    [InlineData("a/b c", "a%2Fb%20c")]
    [InlineData("../x", "..%2Fx")]
    [InlineData("é", "%C3%A9")]
    [InlineData("a=b", "a%3Db")]
    public void hive_partition_values_are_escaped_so_no_value_makes_a_folder(string value, string escaped)
    {
        Assert.Equal(escaped, LakeExporter.HiveEscape(value));
        Assert.True(SafePath.IsPlainName($"snapshot={LakeExporter.HiveEscape(value)}"));
    }

    [Theory]
    [InlineData("../../../../x")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("feb2020")] // not a date, and no capture date given
    public void a_snapshot_id_that_is_unsafe_or_not_in_time_is_refused_at_the_door(string id)
    {
        Assert.Throws<InvalidSnapshotException>(() => SnapshotIds.CaptureDate(id, null));
    }

    [Fact]
    public void an_id_that_is_not_a_date_is_taken_with_an_explicit_capture_date()
    {
        Assert.Equal(new DateOnly(2020, 2, 14), SnapshotIds.CaptureDate("feb2020", new DateOnly(2020, 2, 14)));
        Assert.Equal(new DateOnly(2021, 4, 1), SnapshotIds.CaptureDate("2021-04", null));
        Assert.Equal(new DateOnly(2021, 4, 9), SnapshotIds.CaptureDate("2021-04-09", null));
    }
}
