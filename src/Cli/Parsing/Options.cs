using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GaugeNN.Cli.Parsing;

/// <summary>
/// The kinds of option and argument the verbs take. Every value is checked while parsing, so a bad one is a usage
/// error (exit 2) that names the option, its value and what it accepts, before any work starts.
/// </summary>
public static class Options
{
    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], with its default shown in help.</summary>
    public static Option<int> Number(string name, string description, int fallback, int min, int max, string helpName = "N") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => fallback,
            CustomParser = r => Parse(r, name, text => WholeNumber(text, min, max)),
        };

    /// <summary>A decimal number in [<paramref name="min"/>, <paramref name="max"/>], absent when not given.</summary>
    public static Option<decimal?> Decimal(string name, string description, decimal min, decimal max, string helpName) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r => Parse<decimal?>(r, name, text =>
                decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                && value >= min && value <= max
                    ? value
                    : throw new FormatException($"'{text}' is not a number from {min} to {max}")),
        };

    public static Option<int> Port(int fallback, string description) =>
        Number("--port", $"{description}; 0 picks a free port", fallback, 0, 65535, "PORT");

    /// <summary>A switch: present or not, never followed by a value (<c>--rebuild yes</c> is refused).</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A text value checked by <paramref name="check"/> (which throws with what is wrong).</summary>
    public static Option<T> Checked<T>(string name, string description, string helpName, Func<string, T> check, bool required = false) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = required,
            CustomParser = r => Parse(r, name, check),
        };

    /// <summary>A value that may be given several times (<c>--model A --model B</c>), each checked by <paramref name="check"/>.</summary>
    public static Option<T[]> Repeated<T>(string name, string description, string helpName, Func<string, T> check) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r =>
            {
                var values = new List<T>();
                foreach (var token in r.Tokens)
                {
                    try
                    {
                        values.Add(check(token.Value));
                    }
                    catch (Exception e) when (e is FormatException or ArgumentException)
                    {
                        r.AddError($"{name} {token.Value}: {e.Message}");
                    }
                }
                return values.ToArray();
            },
        };

    public static Option<string> Choice(string name, string description, string fallback, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = $"{description}: {string.Join(", ", choices)}",
            HelpName = name.TrimStart('-').ToUpperInvariant(),
            DefaultValueFactory = _ => fallback,
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens is [var token, ..] && !choices.Contains(token.Value, StringComparer.Ordinal))
                r.AddError($"{name} {token.Value}: expected {string.Join(", ", choices)}");
        });
        return option;
    }

    /// <summary>An existing folder.</summary>
    public static Argument<string> Folder(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r =>
        {
            if (r.Tokens is [var token, ..] && !Directory.Exists(token.Value))
                r.AddError($"{name} {token.Value}: no such folder");
        });
        return argument;
    }

    /// <summary>An existing file.</summary>
    public static Argument<string> File(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r =>
        {
            if (r.Tokens is [var token, ..] && !System.IO.File.Exists(token.Value))
                r.AddError($"{name} {token.Value}: no such file");
        });
        return argument;
    }

    /// <summary>A folder to write into: any path that is not an existing file.</summary>
    public static Argument<string> Output(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r =>
        {
            if (r.Tokens is [var token, ..] && System.IO.File.Exists(token.Value))
                r.AddError($"{name} {token.Value}: is a file; give a folder to write into");
        });
        return argument;
    }

    public static int WholeNumber(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new FormatException($"'{text}' is not a whole number from {min} to {max}");

    /// <summary>A lowercase sha256 (64 hex digits; upper case is accepted and lowered).</summary>
    public static string Sha256(string text) =>
        text.Length == 64 && text.All(char.IsAsciiHexDigit)
            ? text.ToLowerInvariant()
            : throw new FormatException($"'{text}' is not a sha256 (64 hex digits)");

    private static T Parse<T>(ArgumentResult result, string name, Func<string, T> check)
    {
        if (result.Tokens is not [var token]) return default!; // the parser reports a missing or repeated value itself
        try
        {
            return check(token.Value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or GaugeNN.Application.InvalidSnapshotException)
        {
            result.AddError($"{name}: {e.Message}");
            return default!;
        }
    }
}
