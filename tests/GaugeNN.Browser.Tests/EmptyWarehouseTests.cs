using GaugeNN.Application.Hosting;
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

    [Fact]
    public async Task a_host_that_asks_for_an_api_key_gets_it_once_and_the_dashboard_and_graphiql_send_it()
    {
        await using var workspace = new Workspace();
        string keyFile = Path.Combine(workspace.Root, "api-key");
        await File.WriteAllTextAsync(keyFile, "0123456789abcdef-dashboard-key\n");
        await using var host = await WarehouseHost.StartAsync(workspace.Gauge, new WarehouseHostOptions(0) { ApiKeyFile = keyFile }, CancellationToken.None);
        await using var page = await browser.OpenAsync(host.Url);
        await page.GotoAsync("/");

        var key = page.Page.GetByLabel("API key");
        await key.WaitForAsync();
        Assert.Contains("asks for its API key", await page.TextAsync("#notice"));
        Assert.Equal("error", await page.Page.Locator("main#dashboard").GetAttributeAsync("data-state"));
        await key.FillAsync("0123456789abcdef-dashboard-key");
        await page.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await page.DashboardReadyAsync();
        Assert.Equal("empty", await page.CardStateAsync("snapshots"));

        // GraphiQL takes the key from the same tab: introspection passes, so the docs list the schema.
        await page.GotoAsync("/graphiql");
        await page.Page.GetByLabel("Show Documentation Explorer").ClickAsync();
        await page.Page.Locator(".graphiql-doc-explorer").GetByText("Query", new() { Exact = true }).First.ClickAsync();
        await page.Page.Locator(".graphiql-doc-explorer-field-name", new() { HasText = "snapshots" }).First.WaitForAsync();
        // The one request sent without the key was refused, as the browser logs it.
        page.AssertClean(expected: "status of 401");
    }
}
