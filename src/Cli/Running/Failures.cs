using GaugeNN.Application;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using Npgsql;

namespace GaugeNN.Cli.Running;

/// <summary>
/// Turns what ended a verb into its exit code and one plain line on stderr: the cause and what to do. Stack traces
/// only with <c>GAUGENN_DEBUG=1</c>.
/// </summary>
public static class Failures
{
    public const string DebugVariable = "GAUGENN_DEBUG";

    public static bool Debug => Environment.GetEnvironmentVariable(DebugVariable) is { Length: > 0 } v && v != "0";

    public static int Report(string verb, Exception e, TextWriter error)
    {
        var (code, message) = Classify(e);
        error.WriteLine($"{verb}: {message}");
        if (Debug) error.WriteLine(e);
        return code;
    }

    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        UsageException or InvalidSnapshotException or ImportTargetException or UnknownDeviceException
            or RunBenchmarks.UnknownModelException => (ExitCodes.Usage, e.Message),
        EnvironmentException or PortUnavailableException or WarehouseBusyException => (ExitCodes.Environment, e.Message),
        UnauthorizedAccessException => (ExitCodes.Environment, $"{e.Message} (run gaugenn as a user who may, or set GAUGENN_HOME to a folder you own)"),
        _ when Unreachable(e) is { } npgsql => (ExitCodes.Environment,
            $"PostgreSQL did not answer ({npgsql.Message.TrimEnd('.')}): " + (DataFolder.SharedPostgres is null
                ? "`gaugenn db status` shows the private cluster; `gaugenn db start` starts it"
                : $"check that the server in {DataFolder.PostgresVariable} runs and accepts connections")),
        Measure.Import.BenchmarkLogException => (ExitCodes.Failed, $"{e.Message} (the file is refused whole: nothing was imported)"),
        HostRequestException or Warehouse.Projections.GapStillOpenException => (ExitCodes.Failed, e.Message),
        _ => (ExitCodes.Failed, $"failed: {e.Message} ({DebugVariable}=1 shows where)"),
    };

    /// <summary>A connection that failed (not an error the server answered with), wherever Marten wrapped it.</summary>
    private static NpgsqlException? Unreachable(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is NpgsqlException npgsql and not PostgresException) return npgsql;
        return null;
    }
}
