using System.Text.Json.Nodes;
using GaugeNN.Integration.Tests;
using Xunit;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// Store listings are written by anyone: a category that is markup and a spreadsheet formula is shown as text, runs
/// nothing, and leaves the CSV as an inert text cell.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileTextTests(Browser browser)
{
    private const string Category = "=HYPERLINK(\"http://example.invalid\")<img src=x onerror=\"console.error('injected')\"><b>bold</b>";

    [Fact]
    public async Task a_category_made_of_markup_and_a_formula_is_drawn_as_text_and_exported_as_an_inert_cell()
    {
        await using var workspace = new Workspace();
        string folder = workspace.CopySnapshot("2020-02");
        string listing = Path.Combine(folder, "listing.jsonl");
        var lines = File.ReadAllLines(listing).Select(l => JsonNode.Parse(l)!).ToList();
        lines[0]["category"] = Category;
        File.WriteAllLines(listing, lines.Select(l => l.ToJsonString()));
        await workspace.IngestAsync("2020-02", folder);
        var (host, http) = await workspace.StartHostAsync();
        await using var _ = host;
        using var __ = http;

        await using var page = await browser.OpenAsync(host.Url);
        await page.GotoAsync("/");
        await page.DashboardReadyAsync();
        Assert.Equal(0, await page.Page.Locator("main img, main b").CountAsync());
        Assert.Contains(await page.MarkTitlesAsync("adoption-category"), t => t.StartsWith(Category + " · 2020-02: ", StringComparison.Ordinal));
        Assert.Contains(Category, await page.Page.Locator("#adoption-category table").TextContentAsync());

        var csv = Csv.Parse((await page.DownloadCsvAsync("adoption-category")).Text);
        Assert.Contains(csv.Rows, r => r["key"] == "'" + Category);
        page.AssertClean();
    }
}
