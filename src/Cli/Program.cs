using System.CommandLine;
using GaugeNN.Application;
using GaugeNN.Cli.Commands;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;

namespace GaugeNN.Cli;

public static class Program
{
    /// <summary>Every verb, in the order help lists them.</summary>
    public static RootCommand Verbs()
    {
        var root = new RootCommand(
            "gaugenn — which deep-learning models Android apps ship, how that changes between app-store snapshots, and what they cost to run.\n\n" +
            $"Environment: {DataFolder.HomeVariable} (the data folder, default ./.gaugenn), {DataFolder.PostgresVariable} (a PostgreSQL connection " +
            $"string; unset: a private cluster in the data folder), {Warehouse.Postgres.PrivateCluster.BinariesVariable} (PostgreSQL's binaries), " +
            $"{Failures.DebugVariable}=1 (stack traces).\nExit codes: 0 ok, 1 failed, 2 usage, 3 environment, 130 stopped (Ctrl-C, SIGTERM).");
        foreach (var verb in new[]
                 {
                     DemoVerb.Build(), IngestVerb.Build(), ReanalyseVerb.Build(), ProjectVerb.Build(), ExportVerb.Build(), ServeVerb.Build(),
                     DevicesVerb.Build(), BenchVerb.Build(), ImportVerb.Build(), DbVerb.Build(),
                 })
            root.Subcommands.Add(verb);
        root.Options.OfType<VersionOption>().Single().Action = new VersionText();
        return root;
    }

    public static async Task<int> Main(string[] args)
    {
        using var signals = new StopSignals();
        var parse = Verbs().Parse(args);
        var usage = UsageErrors.Of(parse);
        if (usage.Count > 0)
        {
            foreach (var line in usage) Console.Error.WriteLine(line);
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
                signals.Token);
        }
        catch (Exception e)
        {
            return Failures.Report(UsageErrors.PathOf(parse.CommandResult), e, Console.Error);
        }
    }
}
