using GaugeNN.Cli.Commands;
using GaugeNN.Ingest;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>The command line's options reach what they configure, and bad input is a usage error.</summary>
public sealed class CliTests
{
    [Fact]
    public void ingest_caps_given_on_the_command_line_reach_the_scanner_and_the_rest_keep_their_defaults()
    {
        var options = IngestCommand.OptionsFrom(new Arguments(["--max-entry-mb", "5", "--max-app-mb=100", "--max-ratio", "50", "--max-depth", "2"]));
        var defaults = new IngestOptions();

        Assert.Equal(5L << 20, options.MaxEntryBytes);
        Assert.Equal(5L << 20, options.ZipLimits.MaxEntryBytes);
        Assert.Equal(100L << 20, options.MaxTotalInflatedBytes);
        Assert.Equal(50, options.ZipLimits.MaxCompressionRatio);
        Assert.Equal(2, options.MaxNestingDepth);
        Assert.Equal(defaults.MaxEntries, options.MaxEntries);
        Assert.Equal(defaults.Parallelism, options.Parallelism);
    }

    [Theory]
    [InlineData("--max-entry-mb", "0")]
    [InlineData("--max-ratio", "lots")]
    [InlineData("--parallel", "-3")]
    public void a_cap_that_is_not_a_positive_integer_is_a_usage_error(string option, string value)
    {
        var e = Assert.Throws<UsageException>(() => IngestCommand.OptionsFrom(new Arguments([option, value])));
        Assert.Contains(option, e.Message);
    }

    [Fact]
    public async Task an_unknown_option_or_command_exits_with_the_usage_code()
    {
        Assert.Equal(ExitCodes.Usage, await GaugeNN.Cli.Program.Main(["ingest", "--snapshot", "x", "--bogus", "1", "."]));
        Assert.Equal(ExitCodes.Usage, await GaugeNN.Cli.Program.Main(["no-such-command"]));
        Assert.Equal(ExitCodes.Usage, await GaugeNN.Cli.Program.Main(["ingest", "--snapshot", "x", "/no/such/folder"]));
    }
}
