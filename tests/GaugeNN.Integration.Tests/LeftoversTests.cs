using GaugeNN.Application;
using Xunit;

namespace GaugeNN.Integration.Tests;

public sealed class LeftoversTests
{
    // Above Linux's largest pid_max (2^22): no process ever has it.
    private const int DeadPid = 9_999_999;

    [Fact]
    public async Task opening_a_data_folder_removes_the_temporaries_of_dead_writers_and_keeps_a_live_writer_s()
    {
        await using var w = new Workspace();
        string blobs = Path.Combine(w.Home.ModelBlobs, "ab");
        Directory.CreateDirectory(blobs);
        string final = Path.Combine(blobs, new string('a', 64) + ".bin");
        string deadBlob = $"{final}.{DeadPid}.{Guid.NewGuid():N}.tmp";
        string liveBlob = Leftovers.TemporaryFor(final);
        string deadRunner = Path.Combine(w.Home.Runners, $"litert-0123456789ab.{DeadPid}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Path.Combine(deadRunner, "node_modules"));
        File.WriteAllText(Path.Combine(deadRunner, "package.json"), "{}");
        File.WriteAllText(deadBlob, "half");
        File.WriteAllText(liveBlob, "being written");
        File.WriteAllText(final, "whole");

        using (Gauge.Open(w.Home, PostgresServer.ConnectionString, w.Schema)) { }

        Assert.False(File.Exists(deadBlob));
        Assert.False(Directory.Exists(deadRunner));
        Assert.True(File.Exists(liveBlob));
        Assert.Equal("whole", File.ReadAllText(final));
        Assert.True(Directory.Exists(w.Home.Runners));
    }
}
