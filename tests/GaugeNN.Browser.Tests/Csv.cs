using System.Globalization;
using System.Text;

namespace GaugeNN.Browser.Tests;

/// <summary>A downloaded CSV read back per RFC 4180 (quoted fields, doubled quotes, CRLF line ends), as rows by header.</summary>
public sealed record Csv(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
{
    public static Csv Parse(string text)
    {
        if (!text.EndsWith("\r\n", StringComparison.Ordinal)) throw new FormatException("a CSV of the dashboard ends with CRLF");
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else field.Append(c);
        }
        if (quoted) throw new FormatException("a quoted field is not closed");
        var header = records[0];
        if (records.Skip(1).FirstOrDefault(r => r.Count != header.Count) is { } bad)
            throw new FormatException($"a row has {bad.Count} fields, the header {header.Count}");
        return new Csv(header, records.Skip(1)
            .Select(r => (IReadOnlyDictionary<string, string>)header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList());
    }

    public static long Long(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    public static double Double(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
