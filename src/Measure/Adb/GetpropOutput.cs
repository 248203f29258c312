// Android's getprop output (system/core/toolbox/getprop.cpp): one "[key]: [value]" line per property, sorted by key;
// a value may span lines (it holds newlines), so a line that does not close its value continues on the next.
namespace GaugeNN.Measure.Adb;

public static class GetpropOutput
{
    /// <summary>The properties; a line that is neither a property nor a continuation is refused with its line number.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0) continue;
            int split = line.IndexOf("]: [", StringComparison.Ordinal);
            if (!line.StartsWith('[') || split < 2)
                throw Bad(i + 1, line, "a line that is not \"[key]: [value]\"");
            string key = line[1..split];
            string value = line[(split + 4)..];
            int first = i;
            // A value ends at a line ending in ']'; until then, the next lines are part of it.
            while (!value.EndsWith(']'))
            {
                if (++i == lines.Length) throw Bad(first + 1, line, "a value that never closes with ']'");
                value += "\n" + lines[i];
            }
            properties[key] = value[..^1];
        }
        return properties;
    }

    private static AdbException Bad(int number, string line, string what) =>
        new(AdbErrorKind.MalformedOutput, "shell:getprop", "\"[key]: [value]\" lines", $"line {number} \"{line}\": {what}");
}
