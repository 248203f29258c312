using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow.Ipc;
using GaugeNN.Api.Limits;
using GaugeNN.Application.Hosting;
using GaugeNN.Warehouse.Projections;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>The HTTP surface as GraphQL servers serve it: methods, media types, CORS, the API key, downloads, pages.</summary>
public sealed class ApiHttpTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_query_is_answered_alike_by_get_by_json_post_and_by_application_graphql()
    {
        const string query = "query Ids($n: Int) { models(first: $n) { edges { node { sha256 } } } }";
        string get = await api.Http.GetStringAsync($"/graphql?query={Uri.EscapeDataString(query)}&variables={Uri.EscapeDataString("{\"n\": 3}")}&operationName=Ids");
        var json = await (await api.Http.PostAsJsonAsync("/graphql", new { query, variables = new { n = 3 }, operationName = "Ids" })).Content.ReadAsStringAsync();
        var graphql = await (await api.Http.PostAsync($"/graphql?variables={Uri.EscapeDataString("{\"n\": 3}")}",
            new StringContent(query, Encoding.UTF8, "application/graphql"))).Content.ReadAsStringAsync();
        static string Data(string body) => JsonNode.Parse(body)!["data"]!.ToJsonString();
        Assert.Equal(3, JsonNode.Parse(get)!["data"]!["models"]!["edges"]!.AsArray().Count);
        Assert.Equal(Data(get), Data(json));
        Assert.Equal(Data(get), Data(graphql));
    }

    [Fact]
    public async Task get_carries_queries_only_and_a_browser_without_a_query_is_sent_to_graphiql()
    {
        var mutation = await api.Http.GetAsync($"/graphql?query={Uri.EscapeDataString("mutation { x }")}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("GET carries queries only", await mutation.Content.ReadAsStringAsync());

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Http.BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = await browser.GetAsync("/graphql");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.Equal("/graphiql", page.Headers.Location!.OriginalString);

        var put = await api.Http.PutAsync("/graphql", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
    }

    [Fact]
    public async Task the_graphql_response_media_type_is_served_to_whoever_asks_for_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ snapshots { id } }" }) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        var response = await api.Http.SendAsync(request);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
        var plain = await api.Http.PostAsJsonAsync("/graphql", new { query = "{ snapshots { id } }" });
        Assert.Equal("application/json", plain.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task there_are_no_cors_headers_unless_origins_are_configured()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ snapshots { id } }" }) };
        request.Headers.Add("Origin", "https://example.org");
        var response = await api.Http.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task health_and_the_front_page_answer()
    {
        var health = JsonNode.Parse(await api.Http.GetStringAsync("/healthz"))!;
        Assert.Equal("ok", (string)health["status"]!);
        var page = await api.Http.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/graphql", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/graphiql")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Http.GetAsync("/assets/../../etc/passwd")).StatusCode);
    }

    [Fact]
    public async Task a_table_downloads_as_parquet_and_arrow_with_every_row_and_leaves_no_file_behind()
    {
        var parquet = await api.Http.GetAsync("/download/fact_app_model.parquet");
        Assert.Equal(HttpStatusCode.OK, parquet.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", parquet.Content.Headers.ContentType!.MediaType);
        byte[] bytes = await parquet.Content.ReadAsByteArrayAsync();
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
        string file = Path.Combine(api.Workspace.Root, "check.parquet");
        await File.WriteAllBytesAsync(file, bytes);
        long files = Repo.Expected["snapshots"]!.AsObject().Sum(s => s.Value!["apps"]!.AsObject().Sum(a => a.Value!["models"]!.AsArray().Count + a.Value!["encryptedModels"]!.AsArray().Count));
        using (var duck = DuckDbWarehouse.Open(Path.Combine(api.Workspace.Root, "check.duckdb")))
        {
            Assert.Equal(files, duck.Scalar<long>($"SELECT count(*) FROM read_parquet('{file}')"));
            Assert.Equal(2, duck.Scalar<long>($"SELECT count(DISTINCT snapshot) FROM read_parquet('{file}')"));
        }

        var arrow = await api.Http.GetAsync("/download/fact_app_model.arrow?snapshot=2021-04");
        Assert.Equal(HttpStatusCode.OK, arrow.StatusCode);
        using var reader = new ArrowFileReader(await arrow.Content.ReadAsStreamAsync());
        long rows = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            var snapshots = (Apache.Arrow.StringArray)batch.Column("snapshot");
            for (int i = 0; i < batch.Length; i++) Assert.Equal("2021-04", snapshots.GetString(i));
            rows += batch.Length;
        }
        var in2021 = Repo.Expected["snapshots"]!["2021-04"]!["apps"]!.AsObject();
        Assert.Equal(in2021.Sum(a => a.Value!["models"]!.AsArray().Count + a.Value!["encryptedModels"]!.AsArray().Count), rows);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(api.Workspace.Root, "downloads")));
    }

    [Fact]
    public async Task a_running_host_shows_an_ingest_made_by_another_writer_in_lists_and_kept_aggregates_alike()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        var (host, http) = await w.StartHostAsync();
        await using var _ = host;
        using var __ = http;
        const string query = "{ snapshots { id } adoption(by: FRAMEWORK) { points { snapshot } } }";
        // Both lists as one text: "snapshot ids / snapshots with adoption points".
        async Task<string> Read()
        {
            var data = await Workspace.PostAsync(http, query);
            return string.Join(' ', data["snapshots"]!.AsArray().Select(s => (string)s!["id"]!)) + " / " +
                string.Join(' ', data["adoption"]!.AsArray().SelectMany(k => k!["points"]!.AsArray().Select(p => (string)p!["snapshot"]!)).Distinct().Order());
        }

        Assert.Equal("2020-02 / 2020-02", await Read());
        Assert.Equal("2020-02 / 2020-02", await Read());
        await w.IngestAsync("2021-04");
        await host.CaughtUpAsync(CancellationToken.None);
        Assert.Equal("2020-02 2021-04 / 2020-02 2021-04", await Read());
    }

    [Fact]
    public async Task with_an_api_key_data_asks_for_it_and_health_does_not()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        string keyFile = Path.Combine(w.Root, "api.key");
        await File.WriteAllTextAsync(keyFile, "0123456789abcdef0123456789abcdef\n");
        await using var host = await WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0) { ApiKeyFile = keyFile }, CancellationToken.None);
        await host.CaughtUpAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };

        var none = await http.PostAsJsonAsync("/graphql", new { query = "{ snapshots { id } }" });
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("API key", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/download/dim_snapshot.parquet")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ snapshots { id } }" }) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "0123456789abcdef0123456789abcdeX");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ snapshots { id } }" }) };
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/download/dim_snapshot.arrow");
        header.Headers.Add("X-Api-Key", "0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(header)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task binding_beyond_loopback_needs_an_api_key_of_some_length()
    {
        await using var w = new Workspace();
        var open = await Assert.ThrowsAsync<HostOptionsException>(() => WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0, "0.0.0.0"), CancellationToken.None));
        Assert.Contains("--api-key-file", open.Message);
        string keyFile = Path.Combine(w.Root, "short.key");
        await File.WriteAllTextAsync(keyFile, "abc");
        var weak = await Assert.ThrowsAsync<HostOptionsException>(() => WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0, "0.0.0.0") { ApiKeyFile = keyFile }, CancellationToken.None));
        Assert.Contains("at least 16", weak.Message);
        var missing = await Assert.ThrowsAsync<HostOptionsException>(() => WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0) { ApiKeyFile = Path.Combine(w.Root, "none") }, CancellationToken.None));
        Assert.Contains("cannot read the API key file", missing.Message);
    }

    [Fact]
    public async Task configured_origins_get_cors_headers_and_others_do_not()
    {
        await using var w = new Workspace();
        await using var host = await WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0) { CorsOrigins = ["https://dash.example.org"] }, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await http.SendAsync(request);
        }
        var allowed = await Preflight("https://dash.example.org");
        Assert.Equal("https://dash.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False((await Preflight("https://evil.example.com")).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task a_query_past_its_time_or_its_answer_size_is_stopped_with_a_message()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await using (var slow = await WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0) { Limits = new ApiLimits { Timeout = TimeSpan.FromTicks(1) } }, CancellationToken.None))
        {
            using var http = new HttpClient { BaseAddress = new Uri(slow.Url) };
            var response = await http.PostAsJsonAsync("/graphql", new { query = "{ snapshots { id } }" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("ran longer than", await response.Content.ReadAsStringAsync());
        }
        await using var small = await WarehouseHost.StartAsync(w.Gauge, new WarehouseHostOptions(0) { Limits = new ApiLimits { MaxResponseBytes = 2048 } }, CancellationToken.None);
        await small.CaughtUpAsync(CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(small.Url) };
        var big = await client.PostAsJsonAsync("/graphql", new { query = "{ snapshot(id: \"2020-02\") { apps { edges { node { package title models { path sha256 } } } } } }" });
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("larger than", await big.Content.ReadAsStringAsync());
    }

    [Fact]
    public void a_running_statement_is_interrupted_when_asked()
    {
        using var duck = DuckDbWarehouse.Open(Path.Combine(api.Workspace.Root, "interrupt.duckdb"));
        var started = DateTime.UtcNow;
        var run = Task.Run(() => duck.Scalar<long>("SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3"));
        Thread.Sleep(300);
        duck.Interrupt();
        var error = Assert.ThrowsAny<Exception>(() => run.GetAwaiter().GetResult());
        Assert.Contains("INTERRUPT", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
