using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// Hostile and oversized requests are refused with a message before anything is read (no SQL statement runs for
/// them); the standard introspection query and heavy-but-fair queries pass.
/// </summary>
public sealed class ApiLimitsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(HttpContent content)
    {
        var response = await api.Http.PostAsync("/graphql", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static string Message(JsonNode body) => (string)body["errors"]![0]!["message"]!;

    public static TheoryData<string, string> HostileQueries()
    {
        var data = new TheoryData<string, string>();
        data.Add("depth 50", "{ " + string.Concat(Enumerable.Repeat("model(sha256: \"x\") { relatives { edges { node { ", 13)) + "sha256" + new string('}', 13 * 4) + " } }");
        data.Add("first: 1000000", "{ models(first: 1000000) { edges { node { sha256 } } } }");
        data.Add("1,000 aliases", "{ " + string.Concat(Enumerable.Range(0, 1000).Select(i => $"a{i}: snapshots {{ id }} ")) + "}");
        data.Add("110 aliases of a snapshot's apps with their models", "{ " + string.Concat(Enumerable.Range(0, 110).Select(i =>
            $"a{i}: snapshot(id: \"2021-04\") {{ apps(first: 1000) {{ edges {{ node {{ package models {{ path sha256 format bytes model {{ params macs ops {{ name count }} }} }} }} }} }} }} ")) + "}");
        data.Add("30 aliases of a snapshot's apps with their models", "{ " + string.Concat(Enumerable.Range(0, 30).Select(i =>
            $"a{i}: snapshot(id: \"2021-04\") {{ apps(first: 1000) {{ edges {{ node {{ package models {{ sha256 }} }} }} }} }} ")) + "}");
        data.Add("a self-nesting introspection", "{ __schema { types { " + string.Concat(Enumerable.Repeat("fields { type { ", 6)) + "name" + new string('}', 12) + " } } }");
        data.Add("fragments doubling at every level", string.Concat(Enumerable.Range(1, 20).Select(i => $"fragment f{i} on Snapshot {{ ...f{i - 1} ...f{i - 1} }} "))
            + "fragment f0 on Snapshot { id } { snapshots { ...f20 } }");
        data.Add("5 points in time", "{ " + string.Concat(Enumerable.Range(1, 5).Select(i => $"a{i}: snapshots(asOf: {{ sequence: {i} }}) {{ id }} ")) + "}");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task a_hostile_query_is_refused_before_anything_is_read(string what, string query)
    {
        var (status, body) = await PostAsync(JsonContent.Create(new { query }));
        Assert.True(status == HttpStatusCode.BadRequest, $"{what}: {status} {body.ToJsonString()[..Math.Min(400, body.ToJsonString().Length)]}");
        Assert.Null(body["data"]);
        string message = Message(body);
        Assert.Matches("too deep|too big|more than|between 1 and 1000|points in time", message);
        Assert.True(body["extensions"]?["cost"]?["statements"] is null || (long)body["extensions"]!["cost"]!["statements"]! == 0, what);
    }

    [Fact]
    public async Task a_200_kb_query_malformed_json_and_a_10_mb_body_are_refused_with_a_message()
    {
        string huge = "{ snapshots { id } }" + new string(' ', 200 * 1024);
        var (status, body) = await PostAsync(JsonContent.Create(new { query = huge }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("characters, at most", Message(body));

        (status, body) = await PostAsync(new StringContent("{\"query\": \"{ snapshots { id } }\"", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a JSON object", Message(body));

        (status, body) = await PostAsync(new StringContent("[{\"query\": \"{ snapshots { id } }\"}]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, body) = await PostAsync(new ByteArrayContent(new byte[10 * 1024 * 1024]) { Headers = { { "Content-Type", "application/json" } } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("bytes, at most", Message(body));

        (status, body) = await PostAsync(new StringContent("{ snapshots { id", Encoding.UTF8, "application/graphql"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]![0]!["locations"]);

        (status, body) = await PostAsync(new StringContent("query=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Theory]
    [InlineData("no_such_table.parquet", HttpStatusCode.NotFound, "no download is named")]
    [InlineData("..%2F..%2Fetc%2Fpasswd", HttpStatusCode.NotFound, "no download is named")]
    [InlineData("../dim_snapshot.parquet", HttpStatusCode.NotFound, "nothing is served at")]
    [InlineData("dim_snapshot.csv", HttpStatusCode.NotFound, "no download is named")]
    [InlineData("dim_model.parquet?snapshot=2021-04", HttpStatusCode.BadRequest, "not kept per snapshot")]
    [InlineData("fact_app_model.arrow?snapshot=..%2Fx", HttpStatusCode.NotFound, "unknown snapshot")]
    public async Task a_bad_download_name_is_refused_and_writes_nothing(string path, HttpStatusCode expected, string message)
    {
        var response = await api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(api.Http.BaseAddress!, "/download/" + path)));
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(api.Workspace.Root, "downloads")));
    }

    [Fact]
    public async Task the_standard_introspection_query_passes_within_its_own_budget()
    {
        var (status, body) = await PostAsync(JsonContent.Create(new { query = File.ReadAllText(Path.Combine(Repo.Root, "tests", "graphql-js", "introspection-query.graphql")) }));
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString()[..Math.Min(600, body.ToJsonString().Length)]);
        Assert.Null(body["errors"]);
        Assert.True(body["data"]!["__schema"]!["types"]!.AsArray().Count > 50);
        double cost = (double)body["extensions"]!["cost"]!["introspection"]!;
        Assert.InRange(cost, 1000, new GaugeNN.Api.Limits.ApiLimits().MaxIntrospectionComplexity);
        Console.WriteLine($"standard introspection query: priced at {cost:N0} values, answer {body.ToJsonString().Length:N0} bytes");
    }

    [Fact]
    public async Task a_query_already_answered_is_priced_again_with_its_new_variables()
    {
        const string query = "query Page($n: Int) { models(first: $n) { edges { node { sha256 } } } }";
        var (status, body) = await PostAsync(JsonContent.Create(new { query, variables = new { n = 2 } }));
        Assert.Equal(HttpStatusCode.OK, status);
        (status, body) = await PostAsync(JsonContent.Create(new { query, variables = new { n = 1_000_000 } }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("first must be between 1 and 1000 (got 1000000)", Message(body));
        (status, body) = await PostAsync(JsonContent.Create(new { query, variables = new { n = "two" } }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("$n", Message(body));
    }

    [Fact]
    public async Task a_page_of_a_thousand_with_nested_pages_is_within_the_budget()
    {
        var (status, body) = await api.AnswerAsync("""
            { models(first: 1000) { edges { node { sha256 params macs measurements(first: 10) { edges { node { runId p50Ms } } }
                apps(first: 10) { edges { node { package snapshot } } } } } } }
            """);
        Assert.Equal(200, status);
        Assert.Null(body["errors"]);
    }
}
