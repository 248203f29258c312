using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>The graph over the fixture corpus: paging, ordering, filters, navigation, unknown values, figures.</summary>
public sealed class ApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static IEnumerable<(string Snapshot, string Package, JsonNode Model)> ShippedFiles() =>
        Repo.Expected["snapshots"]!.AsObject().SelectMany(s => s.Value!["apps"]!.AsObject().SelectMany(a =>
            a.Value!["models"]!.AsArray().Concat(a.Value!["encryptedModels"]!.AsArray()).Select(m => (s.Key, a.Key, m!))));

    /// <summary>Every model of the list, page after page of <paramref name="size"/>, in the order served.</summary>
    private async Task<List<JsonNode>> AllModelsAsync(string arguments, string fields, int size)
    {
        var all = new List<JsonNode>();
        string? after = null;
        for (int page = 0; page < 100; page++)
        {
            string afterArgument = after is null ? "" : $", after: \"{after}\"";
            var models = (await api.QueryAsync($$"""{ models({{arguments}}first: {{size}}{{afterArgument}}) { totalCount edges { cursor node { {{fields}} } } pageInfo { hasNextPage endCursor } } }"""))["models"]!;
            var nodes = Workspace.Nodes(models);
            Assert.InRange(nodes.Count, 0, size);
            all.AddRange(nodes.Select(n => n!));
            after = (string?)models["pageInfo"]!["endCursor"];
            if (!(bool)models["pageInfo"]!["hasNextPage"]!)
            {
                Assert.Equal(all.Count, (int)models["totalCount"]!);
                return all;
            }
        }
        throw new InvalidOperationException("more than 100 pages");
    }

    [Fact]
    public async Task models_page_through_every_unique_model_once_in_sha256_order()
    {
        var seen = (await AllModelsAsync("", "sha256", 3)).Select(m => (string)m["sha256"]!).ToList();
        var expected = ShippedFiles().Select(f => (string)f.Model["sha256"]!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task models_by_app_count_come_most_shipped_first_and_pages_keep_that_order()
    {
        var served = (await AllModelsAsync("orderBy: { field: APP_COUNT, direction: DESC }, ", "sha256 appCount", 4))
            .Select(m => ((string)m["sha256"]!, (long)m["appCount"]!)).ToList();
        var expected = ShippedFiles().GroupBy(f => (string)f.Model["sha256"]!)
            .Select(g => (Sha: g.Key, Apps: (long)g.Select(f => f.Package).Distinct().Count()))
            .OrderByDescending(x => x.Apps).ThenBy(x => x.Sha, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, served);
        Assert.True(expected[0].Apps > expected[^1].Apps);
    }

    [Fact]
    public async Task models_by_params_ascending_put_unknown_params_last()
    {
        var served = (await AllModelsAsync("orderBy: { field: PARAMS, direction: ASC }, ", "sha256 params", 5)).Select(m => (long?)m["params"]).ToList();
        var known = served.TakeWhile(p => p is not null).ToList();
        Assert.NotEmpty(known);
        Assert.Equal(known.Order(), known);
        Assert.All(served.Skip(known.Count), p => Assert.Null(p));
    }

    [Fact]
    public async Task models_filtered_by_format_and_quantization_are_exactly_the_quantized_ones_of_that_format()
    {
        var served = (await AllModelsAsync("filter: { format: \"TFLITE\", quantized: true }, ", "sha256 format quantized", 50)).Select(m => (string)m["sha256"]!).Order().ToList();
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "tests", "fixtures", "expected-models.json")))!["models"]!.AsObject();
        var shipped = ShippedFiles().Select(f => (string)f.Model["sha256"]!).ToHashSet();
        var expected = truth.Where(m => (string)m.Value!["framework"]! == "tflite" && (bool?)m.Value["quantized"] == true && shipped.Contains((string)m.Value["sha256"]!))
            .Select(m => (string)m.Value!["sha256"]!).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, served);
    }

    [Fact]
    public async Task range_operator_and_snapshot_filters_keep_exactly_the_models_that_match()
    {
        var all = await AllModelsAsync("", "sha256 params macs bytes ops { name }", 100);
        var in2021 = Repo.Expected["snapshots"]!["2021-04"]!["apps"]!.AsObject()
            .SelectMany(a => a.Value!["models"]!.AsArray().Concat(a.Value!["encryptedModels"]!.AsArray())).Select(m => (string)m!["sha256"]!).ToHashSet();
        long median = all.Select(m => (long?)m["params"]).OfType<long>().Order().ElementAt(all.Count(m => m["params"] is not null) / 2);
        string op = all.SelectMany(m => m["ops"]!.AsArray()).GroupBy(o => (string)o!["name"]!).OrderByDescending(g => g.Count()).First().Key;

        async Task Check(string filter, Func<JsonNode, bool> expected)
        {
            var served = (await AllModelsAsync($"filter: {filter}, ", "sha256", 100)).Select(m => (string)m["sha256"]!).Order().ToList();
            var truth = all.Where(expected).Select(m => (string)m["sha256"]!).Order().ToList();
            Assert.NotEmpty(truth);
            Assert.True(truth.Count < all.Count, $"{filter} keeps everything");
            Assert.Equal(truth, served);
        }
        await Check($$"""{ params: { min: {{median}} } }""", m => (long?)m["params"] >= median);
        await Check($$"""{ params: { max: {{median}} }, snapshot: "2021-04" }""", m => (long?)m["params"] <= median && in2021.Contains((string)m["sha256"]!));
        await Check($$"""{ op: "{{op.ToLowerInvariant()}}" }""", m => m["ops"]!.AsArray().Any(o => (string)o!["name"]! == op));
        await Check("""{ bytes: { min: 100000, max: 1000000 } }""", m => (long)m["bytes"]! is >= 100000 and <= 1000000);
    }

    [Fact]
    public async Task a_cursor_of_one_order_given_to_another_is_refused_with_a_message()
    {
        var page = (await api.QueryAsync("{ models(first: 2, orderBy: { field: BYTES }) { pageInfo { endCursor } } }"))["models"]!;
        string cursor = (string)page["pageInfo"]!["endCursor"]!;
        var (_, body) = await api.AnswerAsync($$"""{ models(first: 2, after: "{{cursor}}") { edges { node { sha256 } } } }""");
        Assert.Contains("is not a cursor of this list", body["errors"]![0]!["message"]!.ToString());
        (_, body) = await api.AnswerAsync("""{ models(first: 2, after: "garbage!") { edges { node { sha256 } } } }""");
        Assert.Contains("is not a cursor of this list", body["errors"]![0]!["message"]!.ToString());
    }

    [Fact]
    public async Task a_snapshots_apps_filtered_to_dl_ones_are_its_dl_apps_and_lead_back_from_their_models()
    {
        var apps = (await api.QueryAsync("""
            { snapshot(id: "2021-04") { summary { dlApps } apps(first: 3, filter: { dl: true }) { totalCount
                edges { node { package dl models { sha256 model { sha256 apps(snapshot: "2021-04", first: 100) { edges { node { package } } } } } } } } } }
            """))["snapshot"]!;
        var expected = Repo.Expected["snapshots"]!["2021-04"]!["apps"]!.AsObject()
            .Where(a => a.Value!["models"]!.AsArray().Count + a.Value!["encryptedModels"]!.AsArray().Count > 0).Select(a => a.Key).Order().ToList();
        Assert.Equal(expected.Count, (int)apps["apps"]!["totalCount"]!);
        Assert.Equal(expected.Count, (int)apps["summary"]!["dlApps"]!);
        var nodes = Workspace.Nodes(apps["apps"]);
        Assert.Equal(expected.Take(3), nodes.Select(n => (string)n!["package"]!));
        foreach (var app in nodes)
            foreach (var file in app!["models"]!.AsArray())
            {
                Assert.Equal((string)file!["sha256"]!, (string)file["model"]!["sha256"]!);
                Assert.Contains((string)app["package"]!, Workspace.Nodes(file["model"]!["apps"]).Select(n => (string)n!["package"]!));
            }
    }

    [Fact]
    public async Task apps_of_a_category_ordered_by_installs_follow_the_listing()
    {
        var listing = File.ReadLines(Path.Combine(Repo.Snapshot("2020-02"), "listing.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        string category = listing.GroupBy(l => (string)l["category"]!).OrderByDescending(g => g.Count()).First().Key;
        var served = Workspace.Nodes((await api.QueryAsync($$"""
            { snapshot(id: "2020-02") { apps(filter: { category: "{{category}}" }, orderBy: { field: INSTALLS, direction: DESC }) {
                edges { node { package category installs minInstalls } } } } }
            """))["snapshot"]!["apps"]);
        static long Bound(string installs) => long.Parse(new string(installs.Where(char.IsDigit).ToArray()));
        var expected = listing.Where(l => (string)l["category"]! == category)
            .OrderByDescending(l => Bound((string)l["installs"]!)).ThenBy(l => (string)l["package"]!, StringComparer.Ordinal)
            .Select(l => ((string)l["package"]!, Bound((string)l["installs"]!))).ToList();
        Assert.True(expected.Count > 1);
        Assert.Equal(expected, served.Select(n => ((string)n!["package"]!, (long)n["minInstalls"]!)));
    }

    [Fact]
    public async Task an_app_is_its_latest_snapshot_by_default_with_its_history_and_models()
    {
        var data = await api.QueryAsync("""
            { latest: app(package: "org.gaugenn.fixture.facecam") { snapshot history { snapshot versionCode models { path sha256 } } }
              first: app(package: "org.gaugenn.fixture.facecam", snapshot: "2020-02") { snapshot versionCode } }
            """);
        Assert.Equal("2021-04", (string)data["latest"]!["snapshot"]!);
        Assert.Equal("2020-02", (string)data["first"]!["snapshot"]!);
        var history = data["latest"]!["history"]!.AsArray();
        Assert.Equal(["2020-02", "2021-04"], history.Select(h => (string)h!["snapshot"]!));
        foreach (var h in history)
        {
            var truth = Repo.Expected["snapshots"]![(string)h!["snapshot"]!]!["apps"]!["org.gaugenn.fixture.facecam"]!;
            Assert.Equal((long)truth["versionCode"]!, (long)h["versionCode"]!);
            Assert.Equal(truth["models"]!.AsArray().Select(m => (string)m!["sha256"]!), h["models"]!.AsArray().Select(m => (string)m!["sha256"]!));
        }
        Assert.Equal((long)history[0]!["versionCode"]!, (long)data["first"]!["versionCode"]!);
    }

    [Fact]
    public async Task relatives_are_the_other_models_of_the_same_architecture()
    {
        var all = await AllModelsAsync("", "sha256 archFingerprint relatives(first: 100) { totalCount edges { node { sha256 archFingerprint } } }", 100);
        var withFingerprint = all.Where(m => m["archFingerprint"] is not null).ToList();
        Assert.NotEmpty(withFingerprint);
        foreach (var model in withFingerprint)
        {
            var expected = withFingerprint.Where(o => (string)o["archFingerprint"]! == (string)model["archFingerprint"]! && (string)o["sha256"]! != (string)model["sha256"]!)
                .Select(o => (string)o["sha256"]!).Order().ToList();
            var relatives = Workspace.Nodes(model["relatives"]).Select(r => (string)r!["sha256"]!).Order().ToList();
            Assert.Equal(expected, relatives);
            Assert.Equal(expected.Count, (int)model["relatives"]!["totalCount"]!);
        }
    }

    [Fact]
    public async Task adoption_by_framework_and_category_counts_the_apps_shipping_models_in_each_snapshot()
    {
        var byFramework = (await api.QueryAsync("{ adoption(by: FRAMEWORK) { key points { snapshot apps outOf share } } }"))["adoption"]!.AsArray();
        var expectedFramework = Repo.Expected["snapshots"]!.AsObject().SelectMany(s => s.Value!["apps"]!.AsObject()
                .SelectMany(a => a.Value!["models"]!.AsArray().Select(m => (Framework: (string)m!["framework"]!, Package: a.Key))).Distinct()
                .GroupBy(x => x.Framework).Select(g => $"{g.Key} {s.Key} {g.Count()}/{(long)s.Value["appsListed"]!}"))
            .Order().ToList();
        Assert.Equal(expectedFramework, byFramework.SelectMany(k => k!["points"]!.AsArray()
            .Select(p => $"{k["key"]} {p!["snapshot"]} {p["apps"]}/{p["outOf"]}")).Order().ToList());
        Assert.All(byFramework.SelectMany(k => k!["points"]!.AsArray()),
            p => Assert.Equal((double)(long)p!["apps"]! / (long)p["outOf"]!, (double)p["share"]!, 9));

        var byCategory = (await api.QueryAsync("{ adoption(by: CATEGORY) { key points { snapshot apps outOf } } }"))["adoption"]!.AsArray();
        var listings = new[] { "2020-02", "2021-04" }.SelectMany(snapshot => File.ReadLines(Path.Combine(Repo.Snapshot(snapshot), "listing.jsonl"))
            .Select(l => JsonNode.Parse(l)!)
            .Select(l => (Snapshot: snapshot, Category: (string)l["category"]!,
                Dl: Repo.Expected["snapshots"]![snapshot]!["apps"]![(string)l["package"]!]!["models"]!.AsArray().Count > 0)));
        var expectedCategory = listings.GroupBy(l => (l.Category, l.Snapshot))
            .Select(g => $"{g.Key.Category} {g.Key.Snapshot} {g.Count(x => x.Dl)}/{g.Count()}").Order().ToList();
        Assert.Equal(expectedCategory, byCategory.SelectMany(k => k!["points"]!.AsArray()
            .Select(p => $"{k["key"]} {p!["snapshot"]} {p["apps"]}/{p["outOf"]}")).Order().ToList());

        var byTask = (await api.QueryAsync("{ adoption(by: TASK) { key points { snapshot apps } } }"))["adoption"]!.AsArray();
        Assert.Contains(byTask, k => (string)k!["key"]! == "face-detection");
    }

    [Theory]
    [InlineData("""{ app(package: "no.such.app") { package } }""", "unknown package 'no.such.app'")]
    [InlineData("""{ app(package: "org.gaugenn.fixture.quantcam", snapshot: "2020-02") { package } }""", "package 'org.gaugenn.fixture.quantcam' is not in snapshot '2020-02'")]
    [InlineData("""{ snapshot(id: "1999-01") { id } }""", "unknown snapshot '1999-01'")]
    [InlineData("""{ model(sha256: "00ff") { sha256 } }""", "unknown model sha256 '00ff'")]
    [InlineData("""{ models(filter: { snapshot: "2030-01" }) { totalCount } }""", "unknown snapshot '2030-01'")]
    [InlineData("""{ distribution(of: BYTES, snapshot: "2030-01") { models } }""", "unknown snapshot '2030-01'")]
    [InlineData("""{ churn(from: "2020-02", to: "2030-01") { from } }""", "unknown snapshot '2030-01'")]
    [InlineData("""{ device(id: "no-such-phone") { id } }""", "unknown device 'no-such-phone'")]
    [InlineData("""{ compare(model: "abc", by: TIER) { key } }""", "unknown model sha256 'abc'")]
    [InlineData("""{ model(sha256: "671dd2f9ed11a78436fc21cc42357a803dfc6f73e9fb86541be942d5716c2dce") { apps(snapshot: "2030-01") { totalCount } } }""", "unknown snapshot '2030-01'")]
    public async Task an_unknown_value_is_an_error_naming_it(string query, string message)
    {
        var (status, body) = await api.AnswerAsync(query);
        Assert.Equal(200, status);
        Assert.Contains(body["errors"]!.AsArray(), e => ((string)e!["message"]!).Contains(message));
    }

    [Fact]
    public async Task the_quantised_share_of_a_snapshot_agrees_with_its_models()
    {
        var snapshots = (await api.QueryAsync("{ snapshots { id uniqueModels quantizedModels precisionKnownModels quantizedShare } }"))["snapshots"]!.AsArray();
        foreach (var s in snapshots)
        {
            string id = (string)s!["id"]!;
            var counts = await api.QueryAsync($$"""
                { q: models(filter: { snapshot: "{{id}}", quantized: true, encrypted: false }) { totalCount }
                  f: models(filter: { snapshot: "{{id}}", quantized: false, encrypted: false }) { totalCount } }
                """);
            long quantized = (int)counts["q"]!["totalCount"]!, full = (int)counts["f"]!["totalCount"]!;
            Assert.Equal(quantized, (long)s["quantizedModels"]!);
            Assert.Equal(quantized + full, (long)s["precisionKnownModels"]!);
            Assert.Equal(quantized / (double)(quantized + full), (double)s["quantizedShare"]!, 12);
            Assert.True((long)s["precisionKnownModels"]! <= (long)s["uniqueModels"]!);
        }
        Assert.True((long)snapshots[1]!["quantizedModels"]! >= 2, "2021-04 ships the two quantised tflite models of quantcam and quantscan");
    }

    [Fact]
    public async Task a_distribution_counts_every_model_once_between_its_min_and_max()
    {
        var d = (await api.QueryAsync("{ distribution(of: BYTES, snapshot: \"2021-04\", bins: 7) { of models withValue min max median bins { from to models } } }"))["distribution"]!;
        var sizes = Repo.Expected["snapshots"]!["2021-04"]!["apps"]!.AsObject()
            .SelectMany(a => a.Value!["models"]!.AsArray()).GroupBy(m => (string)m!["sha256"]!).Select(g => (long)g.First()!["size"]!).Order().ToList();
        Assert.Equal(sizes.Count, (long)d["models"]!);
        Assert.Equal(sizes.Count, (long)d["withValue"]!);
        Assert.Equal(sizes[0], (double)d["min"]!);
        Assert.Equal(sizes[^1], (double)d["max"]!);
        var bins = d["bins"]!.AsArray();
        Assert.Equal(7, bins.Count);
        Assert.Equal(sizes.Count, bins.Sum(b => (long)b!["models"]!));
        for (int i = 0; i < bins.Count; i++)
        {
            double from = (double)bins[i]!["from"]!, to = (double)bins[i]!["to"]!;
            long inside = sizes.Count(v => v >= from * (1 - 1e-12) && (i == bins.Count - 1 ? v <= to : v < to * (1 - 1e-12)));
            Assert.Equal(inside, (long)bins[i]!["models"]!);
        }
    }

    [Fact]
    public async Task measurements_are_reached_from_models_and_devices_and_compared_by_tier()
    {
        var data = await api.QueryAsync($$"""
            { model(sha256: "{{ApiFixture.FacecamModel}}") { measurements(first: 10) { totalCount edges { node { runId p50Ms model { sha256 } device { id tier } } } }
                compare(by: TIER) { key runs devices } }
              devices { id tier year measurements { totalCount edges { node { modelSha256 } } } }
              measurements(filter: { tier: "high" }) { totalCount edges { node { deviceId } } } }
            """);
        var measurements = data["model"]!["measurements"]!;
        Assert.Equal(2, (int)measurements["totalCount"]!);
        Assert.All(Workspace.Nodes(measurements), m => Assert.Equal(ApiFixture.FacecamModel, (string)m!["model"]!["sha256"]!));
        Assert.Equal(["high", "low"], data["model"]!["compare"]!.AsArray().Select(c => (string)c!["key"]!));
        var phones = data["devices"]!.AsArray().Where(d => (string)d!["id"]! is "SM-G991B" or "SM-A125F").ToList();
        Assert.Equal(2, phones.Count);
        Assert.All(phones, d => Assert.Equal(1, (int)d!["measurements"]!["totalCount"]!));
        Assert.Equal("SM-G991B", (string)Workspace.Nodes(data["measurements"]).Single()!["deviceId"]!);
    }
}
