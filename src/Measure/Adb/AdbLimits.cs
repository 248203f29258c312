namespace GaugeNN.Measure.Adb;

/// <summary>Timeouts and caps of the ADB client. Every read and write of a socket is bounded by one of these.</summary>
public sealed record AdbLimits
{
    public static AdbLimits Default { get; } = new();

    /// <summary>Connecting to the adb server.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Each protocol read or write: a status, a length, a payload, one sync chunk.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a running shell command may stay silent (a benchmark may print nothing for minutes).</summary>
    public TimeSpan ShellSilenceTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>`adb start-server`, which returns once the server listens.</summary>
    public TimeSpan ServerStartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One shell protocol v2 packet (adbd sends at most its MAX_PAYLOAD, 1 MiB).</summary>
    public int MaxShellPacketBytes { get; init; } = 1 << 20;

    /// <summary>What <see cref="AdbDeviceClient.ShellAsync"/> keeps of stdout plus stderr before it refuses.</summary>
    public long MaxCollectedOutputBytes { get; init; } = 256L << 20;

    /// <summary>Entries of one sync LIST.</summary>
    public int MaxListEntries { get; init; } = 1_000_000;
}
