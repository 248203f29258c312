using Microsoft.Playwright;
using Xunit;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (its own browser download cannot run here): one browser for the
/// whole run, a fresh context per page. Flags: no sandbox (root in CI), no GPU, and none of the background traffic
/// (QUIC, component updates, sync) that a closed network refuses.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Flags,
        });
    }

    /// <summary>A page on a new context (own storage, downloads accepted) whose every request and message is watched.</summary>
    public async Task<WatchedPage> OpenAsync(string baseUrl)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
            Locale = "en-US",
        });
        return await WatchedPage.OpenAsync(context, new Uri(baseUrl));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The browser and the measured corpus, each made once for every browser test.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>, ICollectionFixture<MeasuredCorpus>
{
    public const string Name = "browser";
}
