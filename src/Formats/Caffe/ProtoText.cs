// Spec: protobuf text format, https://protobuf.dev/reference/protobuf/textformat-spec/ (tolerant subset: fields,
// nested messages with or without ':', strings, numbers, identifiers, '#' comments, optional ',' / ';' separators).
using System.Text;

namespace GaugeNN.Formats.Caffe;

/// <summary>One text-format message: its fields in file order, each a scalar or a nested message.</summary>
internal sealed class TextMessage
{
    public List<(string Key, string? Scalar, TextMessage? Message)> Fields { get; } = [];

    public IEnumerable<TextMessage> Messages(string key) =>
        Fields.Where(f => f.Key == key && f.Message is not null).Select(f => f.Message!);

    public TextMessage? Message(string key) => Messages(key).FirstOrDefault();
    public IEnumerable<string> Scalars(string key) => Fields.Where(f => f.Key == key && f.Scalar is not null).Select(f => f.Scalar!);
    public string? Scalar(string key) => Scalars(key).FirstOrDefault();

    public long? Long(string key) => long.TryParse(Scalar(key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : null;
}

/// <summary>Parses protobuf text format into <see cref="TextMessage"/> trees; nesting depth and size are capped.</summary>
internal static class ProtoText
{
    private const string Format = "caffe";
    private const int MaxDepth = 64;

    public static TextMessage Parse(string text)
    {
        int position = 0;
        var root = ParseFields(text, ref position, 0);
        if (position < text.Length) throw Fail(position, "message", "unexpected '}'");
        return root;
    }

    private static TextMessage ParseFields(string text, ref int position, int depth)
    {
        if (depth > MaxDepth) throw Fail(position, "message", "messages are nested too deeply");
        var message = new TextMessage();
        while (true)
        {
            SkipSpace(text, ref position);
            if (position >= text.Length || text[position] == '}') return message;
            string key = Identifier(text, ref position);
            SkipSpace(text, ref position);
            bool colon = position < text.Length && text[position] == ':';
            if (colon)
            {
                position++;
                SkipSpace(text, ref position);
            }
            if (position < text.Length && text[position] is '{' or '<')
            {
                char close = text[position] == '{' ? '}' : '>';
                position++;
                var child = ParseFields(text, ref position, depth + 1);
                if (position >= text.Length || text[position] != close) throw Fail(position, key, $"'{close}' expected");
                position++;
                message.Fields.Add((key, null, child));
            }
            else if (colon)
                message.Fields.Add((key, Scalar(text, ref position, key), null));
            else
                throw Fail(position, key, "':' or '{' expected after a field name");
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] is ',' or ';') position++;
        }
    }

    private static string Identifier(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' or '.' or '[' or ']' or '/'))
            position++;
        if (position == start) throw Fail(position, "field name", $"unexpected character '{text[position]}'");
        return text[start..position];
    }

    private static string Scalar(string text, ref int position, string key)
    {
        if (position >= text.Length) throw Fail(position, key, "value expected");
        if (text[position] is '"' or '\'')
        {
            var value = new StringBuilder();
            // Adjacent string literals concatenate, as in the text-format spec.
            while (position < text.Length && text[position] is '"' or '\'')
            {
                char quote = text[position++];
                while (true)
                {
                    if (position >= text.Length || text[position] == '\n') throw Fail(position, key, "unterminated string");
                    char c = text[position++];
                    if (c == quote) break;
                    if (c == '\\' && position < text.Length) c = text[position++] switch { 'n' => '\n', 't' => '\t', var other => other };
                    value.Append(c);
                }
                SkipSpace(text, ref position);
            }
            return value.ToString();
        }
        int start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' or '.' or '-' or '+'))
            position++;
        if (position == start) throw Fail(position, key, $"unexpected character '{text[position]}'");
        return text[start..position];
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position])) position++;
            else if (text[position] == '#')
                while (position < text.Length && text[position] != '\n') position++;
            else return;
        }
    }

    private static MalformedModelException Fail(int position, string field, string problem) => new(Format, position, field, problem);
}
