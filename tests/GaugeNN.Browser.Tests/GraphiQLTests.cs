using System.Text.RegularExpressions;
using GaugeNN.Integration.Tests;
using Xunit;
using Xunit.Abstractions;

namespace GaugeNN.Browser.Tests;

/// <summary>GraphiQL at /graphiql, bundled into the host: it loads the schema by introspection and runs queries.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class GraphiQLTests(Browser browser, MeasuredCorpus corpus, ITestOutputHelper output)
{
    [GeneratedRegex(@"^type Query \{(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex QueryType();

    /// <summary>The Query fields of the checked-in SDL (schemas/graphql/schema.graphql).</summary>
    private static List<string> QueryFields()
    {
        string sdl = File.ReadAllText(Path.Combine(Repo.Root, "schemas", "graphql", "schema.graphql"));
        string body = QueryType().Match(sdl).Groups["body"].Value;
        // A field starts a line at two spaces of indent (its arguments and descriptions are deeper).
        return [.. Regex.Matches(body, @"^  (?<name>[A-Za-z_]\w*)[(:]", RegexOptions.Multiline).Select(m => m.Groups["name"].Value)];
    }

    [Fact]
    public async Task graphiql_loads_the_schema_lists_every_query_field_in_its_docs_and_runs_a_query()
    {
        await using var page = await browser.OpenAsync(corpus.Url);
        await page.GotoAsync("/graphiql");
        await page.Page.Locator(".graphiql-container").WaitForAsync();

        await page.Page.GetByLabel("Show Documentation Explorer").ClickAsync();
        var explorer = page.Page.Locator(".graphiql-doc-explorer");
        await explorer.GetByText("Query", new() { Exact = true }).First.ClickAsync();
        var fields = explorer.Locator(".graphiql-doc-explorer-field-name");
        await fields.First.WaitForAsync(new() { Timeout = 20_000 });
        var expected = QueryFields();
        Assert.Contains("snapshots", expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await fields.AllTextContentsAsync()).Order(StringComparer.Ordinal));

        // The default query counts the snapshots' apps: run it.
        await page.GraphiQLEditorsReadyAsync();
        await page.Page.Locator("button.graphiql-execute-button").ClickAsync();
        var result = page.Page.Locator(".result-window");
        await result.GetByText("\"dlApps\"").First.WaitForAsync(new() { Timeout = 20_000 });
        string answer = await result.InnerTextAsync();
        Assert.Contains("\"2020-02\"", answer);
        Assert.Matches(@"""dlApps"": 11,", answer);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("graphiql")}");
        page.AssertClean();
    }
}
