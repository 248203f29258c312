using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GaugeNN.Cli.Parsing;

/// <summary>
/// What is wrong with a command line, one plain line per problem: the verb, the problem (naming the option or word),
/// a suggestion for a typo, and where the help is. An unknown option is found here rather than by the parser, which
/// would take it for the verb's argument and complain about the words after it instead.
/// </summary>
public static class UsageErrors
{
    public static IReadOnlyList<string> Of(ParseResult parse)
    {
        var command = parse.CommandResult;
        string where = PathOf(command);
        bool hasVerbs = command.Command.Subcommands.Count > 0;
        string help = $"`{where} --help` lists {(hasVerbs ? "them" : "the options")}";
        var unknown = UnknownOptions(parse).ToList();
        if (unknown.Count > 0)
            return unknown.Select(o => $"{where}: unknown option {o}{DidYouMean(o, OptionNames(command))}; {help}").ToList();
        if (parse.UnmatchedTokens.Count > 0)
            return parse.UnmatchedTokens.Select(t => hasVerbs
                ? $"{where}: unknown verb '{t}'{DidYouMean(t, command.Command.Subcommands.Select(c => c.Name))}; {help}"
                : $"{where}: unexpected argument '{t}'{TakesNoValue(parse, t)}; {help}").ToList();
        if (parse.Errors.Count == 0) return [];
        if (hasVerbs)
            return [$"{where}: say which: {string.Join(", ", command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}; {help}"];
        return parse.Errors.Select(e => e.Message).Distinct().Select(m => $"{where}: {m.TrimEnd('.')}; {help}").ToList();
    }

    /// <summary>"gaugenn db status": the verbs from the root to the parsed one.</summary>
    public static string PathOf(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? s = command; s is not null; s = s.Parent)
            if (s is CommandResult c) names.Add(c.Parent is null ? "gaugenn" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Words that look like options (<c>-x</c>, <c>--xyz</c>) and are neither an option nor an option's value.</summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parse)
    {
        var values = Options(parse).SelectMany(o => o.Tokens).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) yield break; // what follows "--" is never an option
            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !values.Contains(token)
                && !double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                yield return token.Value.Split('=')[0];
        }
    }

    /// <summary>Every option given on the command line, at any verb.</summary>
    private static IEnumerable<OptionResult> Options(ParseResult parse)
    {
        var pending = new Stack<SymbolResult>([parse.RootCommandResult]);
        while (pending.TryPop(out var result))
        {
            if (result is OptionResult option && !option.Implicit) yield return option;
            if (result is CommandResult command)
                foreach (var child in command.Children) pending.Push(child);
        }
    }

    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? s = command; s is not null; s = s.Parent)
            if (s is CommandResult c)
                foreach (var option in c.Command.Options.Where(o => !o.Hidden && (c == command || o.Recursive)))
                    yield return option.Name;
    }

    /// <summary>" (--rebuild takes no value)" when the unexpected word follows a switch.</summary>
    private static string TakesNoValue(ParseResult parse, string word)
    {
        var switches = Options(parse).Where(o => o.Option.Arity.MaximumNumberOfValues == 0 && o.IdentifierToken is not null)
            .ToDictionary<OptionResult, Token, string>(o => o.IdentifierToken!, o => o.Option.Name, ReferenceEqualityComparer.Instance);
        var tokens = parse.Tokens;
        for (int i = 1; i < tokens.Count; i++)
            if (tokens[i].Value == word && switches.TryGetValue(tokens[i - 1], out var name))
                return $" ({name} takes no value)";
        return "";
    }

    private static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        var close = Suggestions(word, candidates).ToList();
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)";
    }

    /// <summary>The nearest candidates within a small edit distance of the word (or that it begins); at most three.</summary>
    public static IEnumerable<string> Suggestions(string word, IEnumerable<string> candidates)
    {
        string bare = word.TrimStart('-');
        var close = candidates.Distinct()
            .Select(c => (Name: c, Bare: c.TrimStart('-')))
            .Select(c => (c.Name, Distance: bare.Length >= 2 && c.Bare.StartsWith(bare, StringComparison.Ordinal) ? 0 : Distance(bare, c.Bare)))
            .Where(c => c.Distance <= Math.Max(1, bare.Length / 3))
            .ToList();
        return close.Where(c => c.Distance == close.Min(x => x.Distance)).Select(c => c.Name).Order(StringComparer.Ordinal).Take(3);
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        for (int j = 1; j <= b.Length; j++)
        {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
