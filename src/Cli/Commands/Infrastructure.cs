namespace GaugeNN.Cli.Commands;

public interface ICommand
{
    string Name { get; }
    string Usage { get; }
    string Summary { get; }
    Task<int> RunAsync(Arguments args, CancellationToken ct);
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Environment = 3;
    public const int Cancelled = 130;
}

/// <summary>Bad command-line input: the message says what, and the usage line is printed.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Something the machine lacks (PostgreSQL not installed, a port taken).</summary>
public sealed class EnvironmentException(string message) : Exception(message);

/// <summary>Minimal option parsing: <c>--name value</c> options, <c>--flag</c> switches and positionals.</summary>
public sealed class Arguments
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public Arguments(IReadOnlyList<string> args, params string[] switches)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                _positionals.Add(args[i]);
                continue;
            }
            string name = args[i][2..];
            int eq = name.IndexOf('=');
            if (eq >= 0) _options[name[..eq]] = name[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && !IsSwitch(name)) _options[name] = args[++i];
            else _options[name] = null;
        }
    }

    private static readonly HashSet<string> Switches = ["rebuild", "no-serve", "help", "incremental"];

    private static bool IsSwitch(string name) => Switches.Contains(name);

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public int IntOption(string name, int fallback)
    {
        if (Option(name) is not { } text) return fallback;
        return int.TryParse(text, out int value) && value > 0 ? value : throw new UsageException($"--{name} must be a positive integer, not '{text}'");
    }

    public void RejectUnknown(params string[] known)
    {
        foreach (var name in _options.Keys)
            if (!known.Contains(name)) throw new UsageException($"unknown option --{name}");
    }
}
