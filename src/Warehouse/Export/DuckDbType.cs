namespace GaugeNN.Warehouse.Export;

/// <summary>
/// A DuckDB column type as a tree (the spellings the warehouse declares): scalars, <c>T[]</c>,
/// <c>STRUCT("a" T, b U)</c> and <c>MAP(K, V)</c>. Used to give nested columns their Arrow types.
/// </summary>
public abstract record DuckDbType
{
    public sealed record Scalar(string Name) : DuckDbType;
    public sealed record ListOf(DuckDbType Item) : DuckDbType;
    public sealed record StructOf(IReadOnlyList<(string Name, DuckDbType Type)> Fields) : DuckDbType;
    public sealed record MapOf(DuckDbType Key, DuckDbType Value) : DuckDbType;

    public bool IsNested => this is not Scalar;

    public static DuckDbType Parse(string text)
    {
        int position = 0;
        var type = ParseType(text, ref position);
        if (position != text.Length) throw new FormatException($"unexpected '{text[position..]}' in type {text}");
        return type;
    }

    private static DuckDbType ParseType(string text, ref int i)
    {
        DuckDbType type;
        if (text.AsSpan(i).StartsWith("STRUCT("))
        {
            i += "STRUCT(".Length;
            var fields = new List<(string, DuckDbType)>();
            while (true)
            {
                string name = ParseName(text, ref i);
                Expect(text, ref i, ' ');
                fields.Add((name, ParseType(text, ref i)));
                if (text[i] == ')') break;
                Expect(text, ref i, ',');
                Expect(text, ref i, ' ');
            }
            i++;
            type = new StructOf(fields);
        }
        else if (text.AsSpan(i).StartsWith("MAP("))
        {
            i += "MAP(".Length;
            var key = ParseType(text, ref i);
            Expect(text, ref i, ',');
            Expect(text, ref i, ' ');
            var value = ParseType(text, ref i);
            Expect(text, ref i, ')');
            type = new MapOf(key, value);
        }
        else
        {
            int start = i;
            while (i < text.Length && text[i] is not ('[' or ',' or ')')) i++;
            type = new Scalar(text[start..i]);
        }
        while (i + 1 < text.Length && text[i] == '[' && text[i + 1] == ']')
        {
            i += 2;
            type = new ListOf(type);
        }
        return type;
    }

    private static string ParseName(string text, ref int i)
    {
        if (text[i] != '"')
        {
            int start = i;
            while (text[i] != ' ') i++;
            return text[start..i];
        }
        int end = text.IndexOf('"', i + 1);
        string name = text[(i + 1)..end];
        i = end + 1;
        return name;
    }

    private static void Expect(string text, ref int i, char c)
    {
        if (i >= text.Length || text[i] != c) throw new FormatException($"expected '{c}' at {i} in type {text}");
        i++;
    }
}
