namespace GaugeNN.Cli.Running;

/// <summary>The process's exit codes, as documented in README's "Using it".</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;

    /// <summary>A bad verb, option or value; the message names it.</summary>
    public const int Usage = 2;

    /// <summary>Something the machine lacks or holds: PostgreSQL not installed or not answering, a port taken, a folder not writable, the warehouse held by another process.</summary>
    public const int Environment = 3;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

/// <summary>Bad command-line input found after parsing (e.g. options that do not go together); the message names the option.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Something the machine lacks or holds; the message says what to do.</summary>
public sealed class EnvironmentException(string message) : Exception(message);
