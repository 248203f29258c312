using Microsoft.Playwright;
using Xunit;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// A browser page that records what a person would not see: console errors, uncaught exceptions, and any request
/// that leaves the host's origin (aborted, so a page that needs the network fails here as it would offline). Reads a
/// card of the dashboard the ways a reader can: the chart's own marks, its data table, its CSV download.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _offsite = [];

    private WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<WatchedPage> OpenAsync(IBrowserContext context, Uri origin)
    {
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (watched._errors) watched._errors.Add($"console: {message.Text}");
        };
        page.PageError += (_, error) =>
        {
            lock (watched._errors) watched._errors.Add($"uncaught: {error}");
        };
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme == origin.Scheme && url.Host == origin.Host && url.Port == origin.Port)
            {
                await route.ContinueAsync();
                return;
            }
            lock (watched._offsite) watched._offsite.Add(route.Request.Url);
            await route.AbortAsync();
        });
        return watched;
    }

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"GET {path} answered {response?.Status}");
    }

    /// <summary>No console error (but those containing <paramref name="expected"/>), no uncaught exception, no request beyond the host.</summary>
    public void AssertClean(string? expected = null)
    {
        lock (_errors)
        {
            var unexpected = _errors.Where(e => expected is null || !e.Contains(expected, StringComparison.Ordinal)).ToList();
            Assert.True(unexpected.Count == 0, "the page logged errors:\n" + string.Join("\n", unexpected));
        }
        lock (_offsite) Assert.True(_offsite.Count == 0, "the page asked for resources beyond the host:\n" + string.Join("\n", _offsite));
    }

    /// <summary>Waits for the dashboard to have drawn every chart (or said why it could not).</summary>
    public Task DashboardReadyAsync() =>
        Page.Locator("main#dashboard[data-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

    /// <summary>
    /// GraphiQL loads CodeMirror and creates its editors after the page shows; its execute button does nothing until
    /// the query and result editors exist, so a person (or a test) waits for them.
    /// </summary>
    public async Task GraphiQLEditorsReadyAsync()
    {
        await Page.Locator(".graphiql-query-editor .CodeMirror").WaitForAsync();
        await Page.Locator(".result-window .CodeMirror").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    public async Task<string> CardStateAsync(string card) => await Page.Locator($"#{card}").GetAttributeAsync("data-state") ?? "";

    /// <summary>The tooltips of a card's chart marks: SVG &lt;title&gt; elements, one per bar, dot or cell.</summary>
    public Task<IReadOnlyList<string>> MarkTitlesAsync(string card) =>
        Page.Locator($"#{card} .body svg title").AllTextContentsAsync();

    public async Task<string> TextAsync(string selector) => await Page.Locator(selector).InnerTextAsync();

    /// <summary>A table's rows as column key → cell text (cells carry data-key attributes).</summary>
    public async Task<List<Dictionary<string, string>>> TableAsync(string selector)
    {
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in await Page.Locator($"{selector} tbody tr").AllAsync())
        {
            var cells = new Dictionary<string, string>();
            foreach (var cell in await row.Locator("td").AllAsync())
                cells[await cell.GetAttributeAsync("data-key") ?? ""] = (await cell.TextContentAsync() ?? "").Trim();
            rows.Add(cells);
        }
        return rows;
    }

    /// <summary>Clicks a card's CSV button and reads the file the browser downloads.</summary>
    public async Task<(string FileName, string Text)> DownloadCsvAsync(string card)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Locator($"#{card} button.csv").ClickAsync());
        Assert.Null(await download.FailureAsync());
        string path = await download.PathAsync();
        return (download.SuggestedFilename, await File.ReadAllTextAsync(path));
    }

    /// <summary>A full-page screenshot in the test output folder (screenshots/NAME.png); answers its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"the screenshot {path} is nearly empty");
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
