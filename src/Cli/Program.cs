using GaugeNN.Cli.Commands;

namespace GaugeNN.Cli;

public static class Program
{
    private static readonly ICommand[] Commands =
    [
        new DemoCommand(), new IngestCommand(), new ProjectCommand(), new ExportCommand(), new ServeCommand(),
        new ReanalyseCommand(), new DbCommand(),
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"gaugenn: unknown command '{args[0]}'");
            PrintUsage(Console.Error);
            return ExitCodes.Usage;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await command.RunAsync(new Arguments(args[1..]), cancel.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"gaugenn {command.Name}: {e.Message}\nusage: gaugenn {command.Usage}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("gaugenn: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (EnvironmentException e)
        {
            Console.Error.WriteLine($"gaugenn: {e.Message}");
            return ExitCodes.Environment;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"gaugenn {command.Name}: failed: {e.Message}");
            if (Environment.GetEnvironmentVariable("GAUGENN_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(e);
            return ExitCodes.Failed;
        }
    }

    private static void PrintUsage(TextWriter to)
    {
        to.WriteLine("gaugenn — which DL models Android apps ship, how they change, what they cost\n\nusage:");
        foreach (var c in Commands) to.WriteLine($"  gaugenn {c.Usage}\n      {c.Summary}");
        to.WriteLine("\nenvironment: GAUGENN_HOME (data folder, default ./.gaugenn), GAUGENN_PG (PostgreSQL connection string;\n" +
                     "             unset = a private cluster under the data folder)");
    }
}
