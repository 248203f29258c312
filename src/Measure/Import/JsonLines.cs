using System.Text.Json;

namespace GaugeNN.Measure.Import;

/// <summary>The 1-based line of every property and array element of a JSON text, by path (<c>results[2].loadgen</c>).</summary>
internal static class JsonLines
{
    public static IReadOnlyDictionary<string, int> Map(byte[] utf8, string format)
    {
        var newlines = new List<long>();
        for (int i = 0; i < utf8.Length; i++) if (utf8[i] == (byte)'\n') newlines.Add(i);
        int LineAt(long offset)
        {
            int index = newlines.BinarySearch(offset);
            return (index < 0 ? ~index : index) + 1;
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        // Each open container: its path, and for arrays the next element index.
        var stack = new Stack<(string Path, int NextIndex, bool IsArray)>();
        string? pendingProperty = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var parent = stack.Peek().Path;
                    pendingProperty = parent.Length == 0 ? reader.GetString()! : $"{parent}.{reader.GetString()}";
                    map.TryAdd(pendingProperty, LineAt(reader.TokenStartIndex));
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }
                string path = pendingProperty ?? ElementPath(stack);
                if (pendingProperty is null && stack.Count > 0) map.TryAdd(path, LineAt(reader.TokenStartIndex));
                pendingProperty = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: stack.Push((path, 0, false)); break;
                    case JsonTokenType.StartArray: stack.Push((path, 0, true)); break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new BenchmarkLogException(format, (int)(e.LineNumber ?? 0) + 1, e.Message);
        }
        return map;
    }

    private static string ElementPath(Stack<(string Path, int NextIndex, bool IsArray)> stack)
    {
        if (stack.Count == 0) return "";
        var (path, index, isArray) = stack.Pop();
        stack.Push((path, index + 1, isArray));
        return isArray ? $"{path}[{index}]" : path;
    }
}
