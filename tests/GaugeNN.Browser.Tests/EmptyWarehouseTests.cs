using GaugeNN.Integration.Tests;
using Xunit;
using Xunit.Abstractions;

namespace GaugeNN.Browser.Tests;

/// <summary>A host over an event store with nothing in it yet: every chart says why it is empty, and nothing breaks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmptyWarehouseTests(Browser browser, ITestOutputHelper output)
{
    [Fact]
    public async Task a_warehouse_with_no_snapshot_and_no_measurement_says_so_in_every_chart()
    {
        await using var workspace = new Workspace();
        var (host, http) = await workspace.StartHostAsync();
        await using var _ = host;
        using var __ = http;
        await using var page = await browser.OpenAsync(host.Url);
        await page.GotoAsync("/");
        await page.DashboardReadyAsync();

        var cards = await page.Page.Locator("section.card").AllAsync();
        Assert.Equal(12, cards.Count);
        foreach (var card in cards)
        {
            string id = await card.GetAttributeAsync("id") ?? "";
            Assert.Equal((id, "empty"), (id, await card.GetAttributeAsync("data-state")));
            Assert.True(await card.Locator("button.csv").IsDisabledAsync(), $"{id} offers a CSV of nothing");
        }
        Assert.Contains("No snapshot yet", await page.TextAsync("#snapshots .body"));
        Assert.Contains("No measurements yet", await page.TextAsync("#latency .body"));
        Assert.Contains("No measurements yet", await page.TextAsync("#energy .body"));
        Assert.Contains("no snapshot yet", await page.TextAsync("#notice"));
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("dashboard-empty")}");
        page.AssertClean();
    }
}
