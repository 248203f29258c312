using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// The dashboard at / in Debian's Chromium against the real host serving the measured fixture corpus: every chart
/// is drawn, shows the corpus's numbers (read from the chart's own marks and from its CSV), and the page logs no
/// error and loads nothing from beyond the host.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardTests(Browser browser, MeasuredCorpus corpus, ITestOutputHelper output)
{
    private static readonly string[] Cards =
    [
        "snapshots", "adoption-framework", "adoption-category", "adoption-task", "framework-share", "quantised-share",
        "size-distribution", "macs-distribution", "reuse", "churn", "latency", "energy",
    ];

    private async Task<WatchedPage> OpenAsync()
    {
        var page = await browser.OpenAsync(corpus.Url);
        await page.GotoAsync("/");
        await page.DashboardReadyAsync();
        return page;
    }

    private static long Number(string text) => long.Parse(text.Replace(",", ""), CultureInfo.InvariantCulture);

    private static void SharePrinted(string percent, long part, long whole) =>
        Assert.InRange(double.Parse(percent, CultureInfo.InvariantCulture), 100.0 * part / whole - 0.0501, 100.0 * part / whole + 0.0501);

    [Fact]
    public async Task every_chart_is_drawn_with_no_console_error_and_nothing_loaded_from_beyond_the_host()
    {
        await using var page = await OpenAsync();
        foreach (string card in Cards) Assert.Equal((card, "ready"), (card, await page.CardStateAsync(card)));
        foreach (string card in Cards.Where(c => c != "snapshots"))
            Assert.True(await page.Page.Locator($"#{card} .body svg").CountAsync() > 0, $"{card} has no chart");
        string shot = await page.ScreenshotAsync("dashboard");
        output.WriteLine($"screenshot: {shot}");
        page.AssertClean();
    }

    [Fact]
    public async Task the_snapshot_table_and_its_csv_give_each_snapshots_apps_dl_apps_and_models()
    {
        await using var page = await OpenAsync();
        var table = await page.TableAsync("#snapshots");
        var (fileName, text) = await page.DownloadCsvAsync("snapshots");
        var csv = Csv.Parse(text);
        Assert.Equal("gaugenn-snapshots.csv", fileName);
        Assert.Equal(Truth.SnapshotIds, table.Select(r => r["snapshot"]));
        Assert.Equal(Truth.SnapshotIds, csv.Rows.Select(r => r["snapshot"]));
        foreach (var (row, line) in table.Zip(csv.Rows))
        {
            var truth = Truth.Snapshot(row["snapshot"]);
            var expected = new Dictionary<string, long>
            {
                ["apps"] = (long)truth["appsListed"]!,
                ["dlApps"] = (long)truth["appsWithModelsOrEncrypted"]!,
                ["appsWithModels"] = (long)truth["appsWithModels"]!,
                ["modelFiles"] = (long)truth["modelFiles"]!,
                ["encryptedModelFiles"] = (long)truth["encryptedModels"]!,
                ["uniqueModels"] = (long)truth["uniqueModelSha256Count"]!,
            };
            foreach (var (key, value) in expected)
            {
                Assert.Equal((row["snapshot"], key, value), (row["snapshot"], key, Number(row[key])));
                Assert.Equal((row["snapshot"], key, value), (row["snapshot"], key, Csv.Long(line[key])));
            }
            SharePrinted(row["dlShare"].TrimEnd(' ', '%'), expected["dlApps"], expected["apps"]);
        }
        // The headline of the issue: DL apps 11 of 12 in 2020-02.
        Assert.Equal(("11", "12"), (table[0]["dlApps"], table[0]["apps"]));
        page.AssertClean();
    }

    [GeneratedRegex(@"^(?<key>.+) · (?<snapshot>\S+): (?<apps>[\d,]+) of (?<of>[\d,]+) apps \((?<percent>[\d.]+) %\)$")]
    private static partial Regex AdoptionTitle();

    private static List<string> Adoption(IEnumerable<string> titles) =>
        [.. titles.Select(t =>
        {
            var m = AdoptionTitle().Match(t);
            Assert.True(m.Success, $"unexpected mark title '{t}'");
            SharePrinted(m.Groups["percent"].Value, Number(m.Groups["apps"].Value), Number(m.Groups["of"].Value));
            return $"{m.Groups["key"].Value} {m.Groups["snapshot"].Value} {Number(m.Groups["apps"].Value)}/{Number(m.Groups["of"].Value)}";
        }).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task adoption_lines_per_framework_category_and_task_show_the_apps_of_each_snapshot()
    {
        await using var page = await OpenAsync();

        var framework = Truth.SnapshotIds.SelectMany(s =>
        {
            long apps = (long)Truth.Snapshot(s)["appsListed"]!;
            return Truth.AppsByFramework(s).Select(f => $"{f.Key} {s} {f.Value}/{apps}")
                .Append($"any model {s} {(long)Truth.Snapshot(s)["appsWithModelsOrEncrypted"]!}/{apps}");
        });
        // Every framework of the corpus ships in both snapshots, so no zero point is filled in.
        Assert.Equal(framework.Order(StringComparer.Ordinal), Adoption(await page.MarkTitlesAsync("adoption-framework")));
        Assert.Contains("any model 2020-02 11/12", Adoption(await page.MarkTitlesAsync("adoption-framework")));

        var category = Truth.SnapshotIds.SelectMany(s => Truth.Categories(s).Select(c => $"{c.Key} {s} {c.Value.Dl}/{c.Value.Apps}"));
        Assert.Equal(category.Order(StringComparer.Ordinal), Adoption(await page.MarkTitlesAsync("adoption-category")));

        // Tasks are inferred by gaugeNN (no independent truth): the chart shows the API's series, a task missing
        // from a snapshot drawn as 0 of that snapshot's apps.
        var series = (await corpus.QueryAsync("{ adoption(by: TASK) { key points { snapshot apps outOf } } }"))["adoption"]!.AsArray();
        var task = series.SelectMany(k => Truth.SnapshotIds.Select(s =>
            k!["points"]!.AsArray().FirstOrDefault(p => (string)p!["snapshot"]! == s) is { } p
                ? $"{k["key"]} {s} {(long)p["apps"]!}/{(long)p["outOf"]!}"
                : $"{k["key"]} {s} 0/{(long)Truth.Snapshot(s)["appsListed"]!}"));
        Assert.Equal(task.Order(StringComparer.Ordinal), Adoption(await page.MarkTitlesAsync("adoption-task")));

        var csv = Csv.Parse((await page.DownloadCsvAsync("adoption-category")).Text);
        Assert.Equal(["snapshot", "key", "apps", "outOf", "share"], csv.Header);
        Assert.Equal(category.Order(StringComparer.Ordinal),
            csv.Rows.Select(r => $"{r["key"]} {r["snapshot"]} {r["apps"]}/{r["outOf"]}").Order(StringComparer.Ordinal));
        Assert.All(csv.Rows, r => Assert.Equal(Csv.Double(r["apps"]) / Csv.Double(r["outOf"]), Csv.Double(r["share"]), 12));
        page.AssertClean();
    }

    [GeneratedRegex(@"^(?<snapshot>\S+) · (?<framework>.+): (?<files>[\d,]+) of (?<of>[\d,]+) model files \((?<percent>[\d.]+) %\)$")]
    private static partial Regex ShareTitle();

    [GeneratedRegex(@"^(?<snapshot>\S+): (?<quantised>[\d,]+) of (?<of>[\d,]+) models quantised \((?<percent>[\d.]+) %\)$")]
    private static partial Regex QuantisedTitle();

    [Fact]
    public async Task framework_share_stacks_each_snapshots_model_files_and_quantised_share_follows_the_quantised_models()
    {
        await using var page = await OpenAsync();
        var bars = (await page.MarkTitlesAsync("framework-share")).Select(t =>
        {
            var m = ShareTitle().Match(t);
            Assert.True(m.Success, $"unexpected mark title '{t}'");
            SharePrinted(m.Groups["percent"].Value, Number(m.Groups["files"].Value), Number(m.Groups["of"].Value));
            return $"{m.Groups["snapshot"].Value} {m.Groups["framework"].Value} {Number(m.Groups["files"].Value)}/{Number(m.Groups["of"].Value)}";
        }).Order(StringComparer.Ordinal);
        var expected = Truth.SnapshotIds.SelectMany(s => Truth.Snapshot(s)["modelFilesByFramework"]!.AsObject()
            .Select(f => $"{s} {f.Key} {(long)f.Value!}/{(long)Truth.Snapshot(s)["modelFiles"]!}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), bars);

        // Quantised per expected-models.json (flatbuffer and protobuf readers independent of gaugeNN); every model
        // of the corpus is dissected, so the models of known precision are the snapshot's unique models.
        var facts = Truth.ModelFacts();
        var points = (await page.MarkTitlesAsync("quantised-share")).Select(t =>
        {
            var m = QuantisedTitle().Match(t);
            Assert.True(m.Success, $"unexpected mark title '{t}'");
            return $"{m.Groups["snapshot"].Value} {Number(m.Groups["quantised"].Value)}/{Number(m.Groups["of"].Value)}";
        });
        Assert.Equal(Truth.SnapshotIds.Select(s =>
        {
            var shas = Truth.Snapshot(s)["uniqueModelSha256"]!.AsArray().Select(x => (string)x!).ToList();
            int quantised = shas.Count(sha => facts.TryGetValue(sha, out var f) && f["quantized"] is { } q && (bool)q);
            return $"{s} {quantised}/{shas.Count}";
        }), points);
        Assert.Contains("2021-04 2/12", points);
        page.AssertClean();
    }

    [Fact]
    public async Task the_size_distribution_counts_each_unique_model_in_the_bin_of_its_size_in_any_snapshot_or_one()
    {
        await using var page = await OpenAsync();
        await CheckSizes(page, null);
        await page.Page.Locator("#size-distribution select[aria-label=Snapshot]").SelectOptionAsync("2020-02");
        await page.Page.Locator("#size-distribution[data-state=ready] svg[aria-label='Model size distribution in 2020-02']").WaitForAsync();
        await CheckSizes(page, "2020-02");
        page.AssertClean();
    }

    private static async Task CheckSizes(WatchedPage page, string? snapshot)
    {
        var (fileName, text) = await page.DownloadCsvAsync("size-distribution");
        Assert.Equal($"gaugenn-size-distribution-{snapshot ?? "all"}.csv", fileName);
        var bins = Csv.Parse(text).Rows;
        var sizes = Truth.IdentifiedModelSizes(snapshot).Values.ToList();
        // Edges are powers of ten computed in doubles: the outer ones land on the smallest and largest size, give or
        // take the last bit; the counts below tell whether each size fell in its bin.
        Assert.Equal(sizes.Min(), Csv.Double(bins[0]["from"]), sizes.Min() * 1e-12);
        Assert.Equal(sizes.Max(), Csv.Double(bins[^1]["to"]), sizes.Max() * 1e-12);
        for (int i = 0; i < bins.Count; i++)
        {
            double from = Csv.Double(bins[i]["from"]), to = Csv.Double(bins[i]["to"]);
            bool last = i == bins.Count - 1;
            long inside = sizes.Count(s => s >= from && (s < to || (last && s <= to)));
            Assert.Equal((i, inside), (i, Csv.Long(bins[i]["models"])));
        }
        Assert.Equal(sizes.Count, bins.Sum(b => Csv.Long(b["models"])));
        // The chart draws one bar per bin, each titled with its count.
        var titles = await page.MarkTitlesAsync("size-distribution");
        Assert.Equal(bins.Count, titles.Count);
        Assert.Equal(bins.Select(b => Csv.Long(b["models"])), titles.Select(t => Number(Regex.Match(t, @": ([\d,]+) models?$").Groups[1].Value)));
        Assert.Contains($"{sizes.Count} of {sizes.Count} unique models {(snapshot is null ? "over all snapshots" : "in " + snapshot)} have a known size",
            await page.TextAsync("#size-distribution .note"));
    }

    [Fact]
    public async Task the_mac_distribution_shows_the_apis_bins_and_counts_the_models_without_macs_apart()
    {
        await using var page = await OpenAsync();
        var csv = Csv.Parse((await page.DownloadCsvAsync("macs-distribution")).Text).Rows;
        var api = (await corpus.QueryAsync("{ distribution(of: MACS, bins: 20) { models withValue bins { from to models } } }"))["distribution"]!;
        Assert.Equal(api["bins"]!.AsArray().Select(b => ((double)b!["from"]!, (double)b["to"]!, (long)b["models"]!)),
            csv.Select(r => (Csv.Double(r["from"]), Csv.Double(r["to"]), Csv.Long(r["models"]))));
        // Every identified model has MACs here; the independently computed ones each fall in a bin that holds one.
        Assert.Equal(Truth.IdentifiedModelSizes().Count, csv.Sum(r => Csv.Long(r["models"])));
        var facts = Truth.ModelFacts();
        var known = Truth.IdentifiedModelSizes().Keys.Where(sha => facts.TryGetValue(sha, out var f) && f["macs"] is not null)
            .Select(sha => (long)facts[sha]["macs"]!).ToList();
        Assert.NotEmpty(known);
        foreach (long macs in known)
            Assert.Contains(csv, r => Csv.Long(r["models"]) > 0 && macs >= Csv.Double(r["from"]) && macs <= Csv.Double(r["to"]));
        long zeros = csv.Where(r => Csv.Double(r["to"]) == 0).Sum(r => Csv.Long(r["models"]));
        Assert.True(zeros >= known.Count(m => m == 0));
        Assert.Contains($"{zeros} with 0 MACs (not drawn on the log axis)", await page.TextAsync("#macs-distribution .note"));
        Assert.Equal(csv.Count(r => Csv.Double(r["to"]) > 0), (await page.MarkTitlesAsync("macs-distribution")).Count);
        page.AssertClean();
    }

    [GeneratedRegex(@"^(?<sha>[0-9a-f]{64}) \((?<facts>[^)]*)\): (?<apps>[\d,]+) apps?, (?<files>[\d,]+) files?$")]
    private static partial Regex ReuseTitle();

    [Fact]
    public async Task reuse_ranks_the_models_shipped_by_the_most_apps_with_their_app_and_file_counts()
    {
        await using var page = await OpenAsync();
        var apps = Truth.AppsPerModel();
        var files = Truth.FilesPerModel();
        var expected = apps.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).Take(15)
            .Select(m => $"{m.Key} {m.Value} {files[m.Key]}").ToList();
        var bars = (await page.MarkTitlesAsync("reuse")).Select(t =>
        {
            var m = ReuseTitle().Match(t);
            Assert.True(m.Success, $"unexpected mark title '{t}'");
            return $"{m.Groups["sha"].Value} {Number(m.Groups["apps"].Value)} {Number(m.Groups["files"].Value)}";
        });
        Assert.Equal(expected, bars);
        var csv = Csv.Parse((await page.DownloadCsvAsync("reuse")).Text);
        Assert.Equal(expected, csv.Rows.Select(r => $"{r["sha256"]} {r["appCount"]} {r["fileCount"]}"));
        Assert.Contains($"15 of {apps.Count} unique models shown", await page.TextAsync("#reuse .note"));
        page.AssertClean();
    }

    [GeneratedRegex(@"^(?<group>apps|models) (?<label>.+): (?<value>[\d,]+)$")]
    private static partial Regex ChurnTitle();

    [Fact]
    public async Task churn_between_the_two_chosen_snapshots_equals_the_generators_truth_and_follows_the_selects()
    {
        await using var page = await OpenAsync();
        var truth = Truth.ChurnSummary("2020-02", "2021-04");
        var (fileName, text) = await page.DownloadCsvAsync("churn");
        Assert.Equal("gaugenn-churn-2020-02-2021-04.csv", fileName);
        var rows = Csv.Parse(text).Rows;
        Assert.Equal(truth.Select(f => f.Key).Order(StringComparer.Ordinal), rows.Select(r => r["field"]).Order(StringComparer.Ordinal));
        foreach (var row in rows) Assert.Equal((row["field"], (long)truth[row["field"]]!), (row["field"], Csv.Long(row["value"])));
        // The bars say the same, labelled for reading.
        var bars = (await page.MarkTitlesAsync("churn")).Select(t => ChurnTitle().Match(t)).ToList();
        Assert.All(bars, m => Assert.True(m.Success));
        Assert.Equal(rows.Select(r => $"{r["group"]} {r["label"]} {r["value"]}"), bars.Select(m => $"{m.Groups["group"].Value} {m.Groups["label"].Value} {Number(m.Groups["value"].Value)}"));

        // Reversed, new and delisted apps trade places.
        await page.Page.Locator("#churn select[aria-label=From]").SelectOptionAsync("2021-04");
        await page.Page.Locator("#churn select[aria-label=To]").SelectOptionAsync("2020-02");
        await page.Page.Locator("#churn[data-state=ready] svg[aria-label='Churn of apps from 2021-04 to 2020-02']").WaitForAsync();
        var reversed = Csv.Parse((await page.DownloadCsvAsync("churn")).Text).Rows.ToDictionary(r => r["field"], r => Csv.Long(r["value"]));
        Assert.Equal(((long)truth["appsDelisted"]!, (long)truth["appsNew"]!, (long)truth["appsAfter"]!, (long)truth["appsBefore"]!),
            (reversed["appsNew"], reversed["appsDelisted"], reversed["appsBefore"], reversed["appsAfter"]));
        page.AssertClean();
    }

    [Fact]
    public async Task latency_and_energy_by_tier_and_generation_are_the_medians_of_the_imported_runs_of_the_most_reused_model()
    {
        await using var page = await OpenAsync();
        Assert.Equal(corpus.MostReused, await page.Page.Locator("#cost-model select").InputValueAsync());
        var devices = await corpus.DevicesAsync();
        var runs = corpus.Runs.Where(r => r.Model == corpus.MostReused).ToList();
        string Group(MeasuredCorpus.Run run, string by) => by == "tier" ? devices[run.Device].Tier : devices[run.Device].Year!.Value.ToString(CultureInfo.InvariantCulture);
        Assert.True(runs.Select(r => Group(r, "tier")).Distinct().Count() >= 2, "the measured phones span one tier only");
        Assert.True(runs.Select(r => Group(r, "generation")).Distinct().Count() >= 2, "the measured phones span one year only");

        var latency = Csv.Parse((await page.DownloadCsvAsync("latency")).Text).Rows;
        foreach (string by in new[] { "tier", "generation" })
            foreach (var group in runs.GroupBy(r => Group(r, by)))
            {
                var row = latency.Single(r => r["by"] == by && r["key"] == group.Key);
                Assert.Equal((by, group.Key, group.Count()), (by, group.Key, (int)Csv.Long(row["runs"])));
                AssertMedian(group.Select(r => r.Figures.MeanMs), row["meanMs"]);
                AssertMedian(group.Select(r => r.Figures.P50Ms), row["p50Ms"]);
            }
        Assert.Equal(runs.Select(r => Group(r, "tier")).Distinct().Count() + runs.Select(r => Group(r, "generation")).Distinct().Count(), latency.Count);

        // Every log printed a mean, one log percentiles: the mean is drawn for every group; p50, once chosen, where printed.
        Assert.Equal("meanMs", await page.Page.Locator("#latency select[aria-label=Statistic]").InputValueAsync());
        var meanTitles = await page.MarkTitlesAsync("latency");
        Assert.Equal(latency.Count, meanTitles.Count);
        Assert.All(meanTitles, t => Assert.Matches(@"^\S+: mean [\d.]+ ms \(\d+ runs? on \d+ devices?\)$", t));
        await page.Page.Locator("#latency select[aria-label=Statistic]").SelectOptionAsync("p50Ms");
        var p50Titles = await page.MarkTitlesAsync("latency");
        Assert.Equal(latency.Count(r => r["p50Ms"] != ""), p50Titles.Count);
        Assert.All(p50Titles, t => Assert.Matches(@"^\S+: p50 [\d.]+ ms \(\d+ runs? on \d+ devices?\)$", t));

        // Energy: one run has a power trace; its groups show the trace's closed-form energy, the others none.
        var energy = Csv.Parse((await page.DownloadCsvAsync("energy")).Text).Rows;
        var traced = corpus.Energy.Run;
        foreach (string by in new[] { "tier", "generation" })
            foreach (var row in energy.Where(r => r["by"] == by))
            {
                // A group's figure is the median over its runs that have one: in the traced run's groups, its own.
                if (row["key"] == Group(traced, by)) Assert.Equal(corpus.Energy.EnergyMj, Csv.Double(row["energyMjPerInference"]), 9);
                else Assert.Equal("", row["energyMjPerInference"]);
            }
        Assert.Equal(2, (await page.MarkTitlesAsync("energy")).Count);
        Assert.Contains("No energy measured for:", await page.TextAsync("#energy .note"));
        page.AssertClean();
    }

    private static void AssertMedian(IEnumerable<decimal?> figures, string printed)
    {
        var values = figures.Where(f => f is not null).Select(f => (double)f!.Value).Order().ToList();
        if (values.Count == 0)
        {
            Assert.Equal("", printed);
            return;
        }
        double median = values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
        Assert.Equal(median, Csv.Double(printed), 9);
    }

    [Fact]
    public async Task choosing_another_measured_model_redraws_latency_with_its_own_run()
    {
        await using var page = await OpenAsync();
        var options = await page.Page.Locator("#cost-model select option").AllAsync();
        Assert.Equal(2, options.Count);
        await page.Page.Locator("#cost-model select").SelectOptionAsync(corpus.Other);
        await page.Page.Locator($"#latency[data-state=ready] svg[aria-label*='{corpus.Other[..12]} by tier']").WaitForAsync();
        var run = corpus.Runs.Single(r => r.Model == corpus.Other);
        var rows = Csv.Parse((await page.DownloadCsvAsync("latency")).Text).Rows;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(((string)corpus.Other, 1L), (r["model"], Csv.Long(r["runs"]))));
        Assert.All(rows, r => Assert.Equal((double)run.Figures.MeanMs!.Value, Csv.Double(r["meanMs"]), 9));
        // No trace for this model: the energy card says so instead of drawing an empty frame.
        await page.Page.Locator("#energy[data-state=empty]").WaitForAsync();
        Assert.Contains("No energy measured for model", await page.TextAsync("#energy .body"));
        page.AssertClean();
    }

    [Fact]
    public async Task a_charts_graphql_link_opens_its_query_in_graphiql_and_the_query_answers_the_same_numbers()
    {
        await using var page = await OpenAsync();
        string? href = await page.Page.Locator("#churn a.query").GetAttributeAsync("href");
        Assert.StartsWith("/graphiql?query=", href);
        await page.GotoAsync(href!);
        await page.GraphiQLEditorsReadyAsync();
        Assert.Contains("query Churn", await page.Page.Locator(".graphiql-query-editor").InnerTextAsync());
        await page.Page.Locator("button.graphiql-execute-button").ClickAsync();
        var result = page.Page.Locator(".result-window");
        await result.GetByText("\"appsNew\"").WaitForAsync(new() { Timeout = 20_000 });
        Assert.Matches(@"""appsNew"": 3,", await result.InnerTextAsync());
        page.AssertClean();
    }
}
