using System.Text.Json.Nodes;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>Churn between the two fixture snapshots, through GraphQL, equals expected.json's churn section.</summary>
public sealed class ChurnTests
{
    private static JsonNode ExpectedChurn => Repo.Expected["churn"]![0]!;

    [Fact]
    public async Task churn_summary_and_per_app_changes_equal_expected_json()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await w.ProjectAsync();

        var summaryFields = ExpectedChurn["summary"]!.AsObject().Select(p => p.Key).ToList();
        var data = await w.GraphQLAsync($$"""
            { churn(from: "2020-02", to: "2021-04") { summary { {{string.Join(' ', summaryFields)}} }
              apps(first: 100) { edges { node { package status versionFrom versionTo dl frameworksBefore frameworksAfter frameworkMigration
                modelsBefore modelsAfter modelsUnchanged updated { from { path sha256 format } to { path sha256 format } }
                added { path sha256 format } removed { path sha256 format } } } } } }
            """);
        var churn = data["churn"]!;
        foreach (var field in summaryFields)
            Assert.True((long)ExpectedChurn["summary"]![field]! == (long)churn["summary"]![field]!,
                $"{field}: expected {ExpectedChurn["summary"]![field]}, got {churn["summary"]![field]}");

        var apps = Workspace.Nodes(churn["apps"]).ToDictionary(a => (string)a!["package"]!, a => a!);
        var expectedApps = ExpectedChurn["apps"]!.AsObject();
        Assert.Equal(expectedApps.Select(a => a.Key).Order(), apps.Keys.Order());
        foreach (var (package, truth) in expectedApps)
        {
            var app = apps[package];
            Assert.Equal((string)truth!["status"]!, (string)app["status"]!);
            switch ((string)truth["status"]!)
            {
                case "new":
                    Assert.Equal((long)truth["modelsAfter"]!, (long)app["modelsAfter"]!);
                    Assert.Equal(Strings(truth["frameworksAfter"]), Strings(app["frameworksAfter"]));
                    break;
                case "delisted":
                    Assert.Equal((long)truth["modelsBefore"]!, (long)app["modelsBefore"]!);
                    break;
                default:
                    Assert.Equal(((long)truth["versionCode"]!["from"]!, (long)truth["versionCode"]!["to"]!),
                        ((long)app["versionFrom"]!, (long)app["versionTo"]!));
                    Assert.Equal((string)truth["dl"]!, (string)app["dl"]!);
                    Assert.Equal(Strings(truth["frameworksBefore"]), Strings(app["frameworksBefore"]));
                    Assert.Equal(Strings(truth["frameworksAfter"]), Strings(app["frameworksAfter"]));
                    Assert.Equal((bool)truth["frameworkMigration"]!, (bool)app["frameworkMigration"]!);
                    Assert.Equal((long)truth["modelsUnchanged"]!, (long)app["modelsUnchanged"]!);
                    Assert.Equal(Refs(truth["modelsAdded"]), Refs(app["added"]));
                    Assert.Equal(Refs(truth["modelsRemoved"]), Refs(app["removed"]));
                    Assert.Equal(truth["modelsUpdated"]!.AsArray().Select(u => (Ref(u!["from"]), Ref(u["to"]))).Order(),
                        app["updated"]!.AsArray().Select(u => (Ref(u!["from"]), Ref(u["to"]))).Order());
                    break;
            }
        }
    }

    [Fact]
    public async Task churn_apps_paged_four_at_a_time_are_the_same_as_one_page()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        await w.ProjectAsync();
        const string Fields = "package status dl updated { from { sha256 } to { sha256 } } added { sha256 } removed { sha256 }";

        var first = (await w.GraphQLAsync($$"""{ churn(from: "2020-02", to: "2021-04") { apps(first: 100) { totalCount edges { node { {{Fields}} } } } } }"""))["churn"]!["apps"]!;
        var whole = Workspace.Nodes(first);
        var paged = new List<JsonNode>();
        string? after = null;
        while (true)
        {
            string afterArgument = after is null ? "" : $", after: \"{after}\"";
            var page = (await w.GraphQLAsync($$"""{ churn(from: "2020-02", to: "2021-04") { apps(first: 4{{afterArgument}}) { edges { node { {{Fields}} } } pageInfo { hasNextPage endCursor } } } }"""))["churn"]!["apps"]!;
            paged.AddRange(Workspace.Nodes(page).Select(a => a!.DeepClone()));
            if (!(bool)page["pageInfo"]!["hasNextPage"]!) break;
            after = (string)page["pageInfo"]!["endCursor"]!;
        }
        Assert.Equal(15, whole.Count);
        Assert.Equal(15, (int)first["totalCount"]!);
        Assert.Equal(whole.Select(a => a!.ToJsonString()), paged.Select(a => a.ToJsonString()));
    }

    [Fact]
    public async Task churn_of_an_unknown_snapshot_is_an_error_naming_it()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        var body = await w.GraphQLBodyAsync("""{ churn(from: "2020-02", to: "2021-04") { from } }""");
        Assert.Contains("unknown snapshot '2021-04'", body["errors"]![0]!["message"]!.ToString());
    }

    [Fact]
    public async Task churn_backwards_is_the_mirror_of_churn_forwards()
    {
        await using var w = new Workspace();
        await w.IngestAsync("2020-02");
        await w.IngestAsync("2021-04");
        const string fields = "appsNew appsDelisted appsContinuing modelsAdded modelsRemoved modelsUpdated modelsUnchanged appsAdoptedDl appsDroppedDl";
        var data = await w.GraphQLAsync($$"""
            { forward: churn(from: "2020-02", to: "2021-04") { summary { {{fields}} } }
              backward: churn(from: "2021-04", to: "2020-02") { summary { {{fields}} } } }
            """);
        var f = data["forward"]!["summary"]!;
        var b = data["backward"]!["summary"]!;
        Assert.Equal(((int)f["appsNew"]!, (int)f["appsDelisted"]!), ((int)b["appsDelisted"]!, (int)b["appsNew"]!));
        Assert.Equal(((int)f["modelsAdded"]!, (int)f["modelsRemoved"]!), ((int)b["modelsRemoved"]!, (int)b["modelsAdded"]!));
        Assert.Equal(((int)f["appsAdoptedDl"]!, (int)f["appsDroppedDl"]!), ((int)b["appsDroppedDl"]!, (int)b["appsAdoptedDl"]!));
        Assert.Equal(((int)f["appsContinuing"]!, (int)f["modelsUpdated"]!, (int)f["modelsUnchanged"]!),
            ((int)b["appsContinuing"]!, (int)b["modelsUpdated"]!, (int)b["modelsUnchanged"]!));
        Assert.True((int)f["appsNew"]! > 0);
    }

    private static List<string> Strings(JsonNode? list) => list!.AsArray().Select(s => (string)s!).Order().ToList();

    private static string Ref(JsonNode? m) => $"{m!["path"]}|{m["sha256"]}|{(string?)m["format"] ?? (string)m["framework"]!}";

    private static List<string> Refs(JsonNode? list) => list!.AsArray().Select(Ref).Order().ToList();
}
