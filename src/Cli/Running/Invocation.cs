using System.CommandLine;
using GaugeNN.Cli.Output;
using GaugeNN.Cli.Parsing;

namespace GaugeNN.Cli.Running;

/// <summary>
/// One run of a verb: what was asked of its output (<c>--json</c>, <c>--quiet</c>), the stop token (Ctrl-C, SIGTERM)
/// and the progress display. Reports go to stdout (a JSON document with <c>--json</c>, else text); progress and notes
/// go to stderr.
/// </summary>
public sealed class Invocation(ParseResult parse, CancellationToken stop)
{
    /// <summary>"gaugenn ingest": how messages name the verb.</summary>
    public string Verb { get; } = UsageErrors.PathOf(parse.CommandResult);

    public bool Json { get; } = Given(parse, Running.Verb.JsonOption);
    public CancellationToken Stop { get; } = stop;
    public ProgressDisplay Progress { get; } = ProgressDisplay.For(Given(parse, Running.Verb.QuietOption));

    public T Get<T>(Option<T> option) => parse.GetValue(option)!;
    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    /// <summary>Whether an option was written on the command line (not just defaulted).</summary>
    public bool Has(Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>A line for the person at the terminal (stderr; not with --quiet).</summary>
    public void Note(string line) => Progress.Note(line);

    /// <summary>The verb's report: a JSON document with --json, else the text <paramref name="human"/> writes.</summary>
    public void Report<T>(T report, Action<TextWriter> human)
    {
        if (Json) Output.Json.Write(Console.Out, report);
        else human(Console.Out);
    }

    /// <summary>Text for stdout that only the human report has (nothing with --json).</summary>
    public void Say(string text)
    {
        if (!Json) Console.Out.WriteLine(text);
    }

    /// <summary>
    /// Runs stoppable work; stopped (Ctrl-C, SIGTERM), it ends the verb with <paramref name="whenStopped"/>: what was
    /// committed and how to go on, read while the verb's resources are still open.
    /// </summary>
    public async Task<T> StoppableAsync<T>(Func<Task<T>> work, Func<Task<string>> whenStopped)
    {
        try
        {
            return await work();
        }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested)
        {
            string said;
            try
            {
                said = await whenStopped();
            }
            catch (Exception e)
            {
                said = $"what was committed could not be read ({e.Message})";
            }
            throw new StoppedException(said);
        }
    }

    private static bool Given(ParseResult parse, string name) =>
        parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == name) is Option<bool> option && parse.GetValue(option);
}
