using System.CommandLine;
using GaugeNN.Cli.Parsing;

namespace GaugeNN.Cli.Running;

/// <summary>A verb stopped by a signal; the message says what it had committed and how to go on.</summary>
public sealed class StoppedException(string message) : Exception(message);

/// <summary>How a verb is declared: its arguments and options, then the shared <c>--json</c> and <c>--quiet</c>.</summary>
public static class Verb
{
    public const string JsonOption = "--json", QuietOption = "--quiet";

    public static Command Create(string name, string description, IEnumerable<Symbol> symbols, Func<Invocation, Task<int>> run,
        bool reports = true)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                case Command sub: command.Subcommands.Add(sub); break;
            }
        }
        if (reports) command.Options.Add(Options.Flag(JsonOption, "print the report as one JSON document on stdout (fields: README)"));
        command.Options.Add(Options.Flag(QuietOption, "no progress or notes on stderr (errors are still printed)"));
        command.SetAction(async (parse, ct) =>
        {
            var invocation = new Invocation(parse, ct);
            try
            {
                return await run(invocation);
            }
            catch (StoppedException e)
            {
                Console.Error.WriteLine($"{invocation.Verb}: stopped; {e.Message}");
                return ExitCodes.Cancelled;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"{invocation.Verb}: stopped; what was committed before the stop is kept, and the same command run again goes on from there");
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }

    /// <summary>A verb that only groups others (<c>db</c>, <c>export</c>, <c>import</c>).</summary>
    public static Command Group(string name, string description, params Command[] verbs)
    {
        var command = new Command(name, description);
        foreach (var verb in verbs) command.Subcommands.Add(verb);
        return command;
    }
}
