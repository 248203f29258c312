namespace GaugeNN.Cli.Output;

/// <summary>
/// A plain text table: a header, a rule, rows; two spaces between columns, text left-aligned, figures right-aligned.
/// No box drawing, so that it reads the same in a terminal, a log file and through grep.
/// </summary>
public sealed class TextTable(params (string Header, bool Figure)[] columns)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length) throw new ArgumentException($"a row of {cells.Length} cells in a table of {columns.Length} columns");
        _rows.Add(cells.Select(c => c.ReplaceLineEndings(" ")).ToArray());
    }

    public void Write(TextWriter to)
    {
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => columns[i].Figure ? c.PadLeft(widths[i]) : i == cells.Count - 1 ? c : c.PadRight(widths[i])));
        to.WriteLine(Line(columns.Select(c => c.Header).ToArray()));
        // A long last column (reasons) is not ruled to its full width, which would wrap every terminal line.
        to.WriteLine(string.Join("  ", widths.Select((w, i) => new string('-', i == widths.Length - 1 && !columns[i].Figure ? Math.Min(w, Math.Max(columns[i].Header.Length, 40)) : w))));
        foreach (var row in _rows) to.WriteLine(Line(row));
    }
}
