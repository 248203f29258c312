// Api.Bench: the GraphQL API of a running host at app-store scale.
//   (a) adoption series, churn summaries and the snapshot list through HTTP + GraphQL beside the same SQL run straight
//       on the host's DuckDB instance in this process (targets: p50 ratio <= 1.5 and HTTP p50 <= 20 ms);
//   (b) a bounded loopback load test of mixed queries: p50, p99, errors (target 0);
//   (c) hostile and heavy requests: how fast each is refused, and this process's RSS before, at peak and after.
// Usage: Api.Bench --corpus DIR --data DIR [--rounds N] [--load N] [--concurrency N]
//   DIR of --corpus: tools/synth-corpus.py output (its snapshots are ingested once into --data, which is kept).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GaugeNN.Application;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using GaugeNN.Warehouse.Read;

string? corpus = null, data = null, probe = null;
int rounds = 200, load = 1000, concurrency = 8;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--corpus": corpus = args[++i]; break;
        case "--data": data = args[++i]; break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--load": load = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--probe": probe = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}
if (corpus is null || data is null)
{
    Console.Error.WriteLine("usage: Api.Bench --corpus DIR --data DIR [--rounds N] [--load N] [--concurrency N]");
    return 2;
}

var snapshots = Directory.EnumerateDirectories(corpus).Select(Path.GetFileName).Where(n => n is not null && char.IsDigit(n[0])).Order(StringComparer.Ordinal).ToList();
using var gauge = Gauge.Open(new DataFolder(Path.GetFullPath(data)));
foreach (var snapshot in snapshots)
{
    var sw = Stopwatch.StartNew();
    var report = await new IngestSnapshot(gauge).RunAsync(new IngestRequest(snapshot!, Path.Combine(corpus, snapshot!)), null, CancellationToken.None);
    Console.WriteLine($"ingest {snapshot}: {report.EventsAppended} events appended in {sw.Elapsed.TotalSeconds:0.0} s");
}
await using var host = await WarehouseHost.StartAsync(gauge, new WarehouseHostOptions(0), CancellationToken.None);
var catchUp = Stopwatch.StartNew();
await host.CaughtUpAsync(CancellationToken.None);
Console.WriteLine($"host {host.Url} caught up in {catchUp.Elapsed.TotalSeconds:0.0} s; load average {LoadAverage()}; {Environment.ProcessorCount} cores");
using var http = new HttpClient { BaseAddress = new Uri(host.Url) };

if (probe is not null)
{
    // Where one query's time goes, server side (Server-Timing) and end to end.
    var times = new List<(double Http, Dictionary<string, double> Server)>();
    for (int r = -20; r < rounds; r++)
    {
        var sw = Stopwatch.StartNew();
        var response = await http.PostAsJsonAsync("/graphql", new { query = probe });
        await response.Content.ReadAsStringAsync();
        if (r >= 0) times.Add((sw.Elapsed.TotalMilliseconds, ServerTiming(response)));
    }
    Console.WriteLine($"{probe}: HTTP p50 {Percentile(times.Select(t => t.Http).ToList(), 50):0.00} ms; server p50 " +
        string.Join(", ", times[0].Server.Keys.Select(k => $"{k} {Percentile(times.Select(t => t.Server[k]).ToList(), 50):0.00}")));
    return 0;
}

string first = snapshots[0]!, second = snapshots[1]!, last = snapshots[^1]!;
var cases = new (string Name, string Query, Action<ReaderLease> Sql)[]
{
    ("adoption FRAMEWORK", "{ adoption(by: FRAMEWORK) { key points { snapshot apps outOf share } } }",
        lease => new AdoptionReader(lease).Series(AdoptionDimension.Framework)),
    ("adoption CATEGORY", "{ adoption(by: CATEGORY) { key points { snapshot apps outOf share } } }",
        lease => new AdoptionReader(lease).Series(AdoptionDimension.Category)),
    ("adoption TASK", "{ adoption(by: TASK) { key points { snapshot apps outOf share } } }",
        lease => new AdoptionReader(lease).Series(AdoptionDimension.Task)),
    ($"churn {first}->{second}", $$"""{ churn(from: "{{first}}", to: "{{second}}") { summary { {{ChurnFields}} } } }""",
        lease => new ChurnReader(lease).Summary(first, second)),
    ($"churn {first}->{last}", $$"""{ churn(from: "{{first}}", to: "{{last}}") { summary { {{ChurnFields}} } } }""",
        lease => new ChurnReader(lease).At(host.Readers.PointInTime.Churn(first, last), "main").Summary(first, last)),
    ("snapshots", "{ snapshots { id capturedAt apps dlApps modelFiles encryptedModelFiles uniqueModels formats { name modelFiles } } }",
        lease => new WarehouseReader(lease).Snapshots()),
};

Console.WriteLine();
Console.WriteLine($"(a) HTTP + GraphQL beside the same SQL on the host's DuckDB, {rounds} rounds after 20 warm-up, which side goes first alternating.");
Console.WriteLine("    cold: the tables' version is moved before the request, so the API computes its answer (runs the SQL);");
Console.WriteLine("    warm: the same request again at the same version (answers kept per version: what a dashboard's repeat requests see).");
Console.WriteLine($"{"query",-26} {"SQL p50",8} {"cold p50",9} {"cold p99",9} {"ratio",6}  {"server cold: SQL, exec, all",-28} {"warm p50",9} {"ratio",6}   target: cold ratio <= 1.5 and p50 <= 20 ms");
bool met = true;
foreach (var (name, query, sql) in cases)
{
    var direct = new List<double>();
    var cold = new List<double>();
    var warm = new List<double>();
    var serverSql = new List<double>();
    var serverExecute = new List<double>();
    var serverTotal = new List<double>();
    for (int r = -20; r < rounds; r++)
    {
        double d = 0;
        void Direct()
        {
            var watch = Stopwatch.StartNew();
            using (var lease = host.Readers.Rent()) sql(lease);
            d = watch.Elapsed.TotalMilliseconds;
        }
        async Task<(double Ms, HttpResponseMessage Response)> Served()
        {
            var watch = Stopwatch.StartNew();
            var response = await http.PostAsJsonAsync("/graphql", new { query });
            string body = await response.Content.ReadAsStringAsync();
            double ms = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode || body.Contains("\"errors\"", StringComparison.Ordinal)) throw new InvalidOperationException($"{name}: {body}");
            return (ms, response);
        }
        // A no-op admin step moves the tables' version, as a projection step would: kept answers are dropped.
        await host.Projection.ExclusiveAsync(_ => Task.FromResult(0), CancellationToken.None);
        if (r % 2 == 0) Direct();
        var (coldMs, coldResponse) = await Served();
        if (r % 2 != 0) Direct();
        var (warmMs, _) = await Served();
        if (r < 0) continue;
        direct.Add(d);
        cold.Add(coldMs);
        warm.Add(warmMs);
        var timing = ServerTiming(coldResponse);
        serverSql.Add(timing["sql"]);
        serverExecute.Add(timing["execute"]);
        serverTotal.Add(timing["total"]);
    }
    double ratio = Percentile(cold, 50) / Percentile(direct, 50);
    bool ok = ratio <= 1.5 && Percentile(cold, 50) <= 20;
    met &= ok;
    string server = $"{Percentile(serverSql, 50):0.00}, {Percentile(serverExecute, 50):0.00}, {Percentile(serverTotal, 50):0.00}";
    Console.WriteLine($"{name,-26} {Percentile(direct, 50),8:0.00} {Percentile(cold, 50),9:0.00} {Percentile(cold, 99),9:0.00} {ratio,6:0.00}  {server,-28} " +
        $"{Percentile(warm, 50),9:0.00} {Percentile(warm, 50) / Percentile(direct, 50),6:0.00}   {(ok ? "met" : "NOT MET")}");
}

var fixedCost = new List<double>();
for (int r = -20; r < rounds; r++)
{
    var sw = Stopwatch.StartNew();
    var response = await http.PostAsJsonAsync("/graphql", new { query = "{ __typename }" });
    await response.Content.ReadAsStringAsync();
    if (r >= 0) fixedCost.Add(sw.Elapsed.TotalMilliseconds);
}
Console.WriteLine($"{"{ __typename } (no SQL)",-26} {"",8} {Percentile(fixedCost, 50),9:0.00} {Percentile(fixedCost, 99),9:0.00}          the fixed cost of a request");

Console.WriteLine();
var mixed = new[]
{
    "{ snapshots { id capturedAt apps dlApps modelFiles encryptedModelFiles uniqueModels quantizedShare formats { name modelFiles } } }",
    "{ adoption(by: FRAMEWORK) { key points { snapshot apps outOf share } } }",
    "{ adoption(by: CATEGORY) { key points { snapshot apps outOf share } } }",
    "{ adoption(by: TASK) { key points { snapshot apps outOf share } } }",
    $$"""{ churn(from: "{{first}}", to: "{{second}}") { summary { {{ChurnFields}} } apps(first: 50, status: CONTINUING) { totalCount edges { node { package dl } } } } }""",
    $$"""{ churn(from: "{{first}}", to: "{{last}}") { summary { appsNew appsDelisted modelsUpdated } } }""",
    "{ models(first: 100, orderBy: { field: APP_COUNT }) { totalCount edges { node { sha256 format params macs bytes quantized firstSeen appCount } } } }",
    $$"""{ snapshot(id: "{{last}}") { apps(first: 100, filter: { dl: true }, orderBy: { field: INSTALLS, direction: DESC }) { edges { node { package installs models { sha256 format model { task params } } } } } } }""",
    $$"""{ distribution(of: PARAMS, snapshot: "{{last}}") { models withValue bins { from to models } } }""",
    "{ models(first: 20, filter: { format: \"tflite\", quantized: true }) { edges { node { sha256 apps(first: 5) { totalCount edges { node { package snapshot history { snapshot versionCode } } } } relatives(first: 3) { edges { node { sha256 } } } } } } }",
    "{ devices { id tier year measurements(first: 5) { totalCount } } }",
};
var latencies = new double[load];
int errors = 0, next = -1;
var wall = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < load)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            var response = await http.PostAsJsonAsync("/graphql", new { query = mixed[i % mixed.Length] });
            string body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || body.Contains("\"errors\"", StringComparison.Ordinal)) Interlocked.Increment(ref errors);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
        }
        latencies[i] = sw.Elapsed.TotalMilliseconds;
    }
}));
Console.WriteLine($"(b) load: {load} mixed queries ({mixed.Length} kinds), {concurrency} at a time over loopback: " +
    $"p50 {Percentile(latencies, 50):0.0} ms, p99 {Percentile(latencies, 99):0.0} ms, max {latencies.Max():0.0} ms, " +
    $"{load / wall.Elapsed.TotalSeconds:0} queries/s, errors {errors}   target: errors 0 {(errors == 0 ? "met" : "NOT MET")}");
met &= errors == 0;

Console.WriteLine();
Console.WriteLine("(c) hostile and heavy requests: status, time to answer, RSS (this process: host and client) after each");
await Task.Delay(2500);
GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, true, true);
long baseline = Rss();
long peak = baseline;
Console.WriteLine($"baseline RSS {baseline / 1048576.0:0} MB");
var hostile = new (string Name, Func<HttpContent> Body)[]
{
    ("110 aliases of snapshot apps + models", () => Json("{ " + string.Concat(Enumerable.Range(0, 110).Select(i =>
        $"a{i}: snapshot(id: \"{last}\") {{ apps(first: 1000) {{ edges {{ node {{ package models {{ path sha256 format bytes model {{ params macs ops {{ name count }} }} }} }} }} }} }} ")) + "}")),
    ("depth 50", () => Json("{ " + string.Concat(Enumerable.Repeat("model(sha256: \"x\") { relatives { edges { node { ", 13)) + "sha256" + new string('}', 52) + " } }")),
    ("first: 1000000", () => Json("{ models(first: 1000000) { edges { node { sha256 } } } }")),
    ("1,000 aliases", () => Json("{ " + string.Concat(Enumerable.Range(0, 1000).Select(i => $"a{i}: snapshots {{ id }} ")) + "}")),
    ("200 KB query", () => Json("{ snapshots { id } }" + new string(' ', 200 * 1024))),
    ("malformed JSON", () => new StringContent("{\"query\": ", Encoding.UTF8, "application/json")),
    ("10 MB body", () => new ByteArrayContent(new byte[10 * 1024 * 1024]) { Headers = { { "Content-Type", "application/json" } } }),
    ("30 aliases of snapshot apps + models", () => Json("{ " + string.Concat(Enumerable.Range(0, 30).Select(i =>
        $"a{i}: snapshot(id: \"{last}\") {{ apps(first: 1000) {{ edges {{ node {{ package models {{ sha256 }} }} }} }} }} ")) + "}")),
    ("heavy but allowed: 1,000 models x ops x apps", () => Json("{ models(first: 1000, orderBy: { field: APP_COUNT }) { edges { node { sha256 format params macs bytes " +
        "quantized task appCount ops { name count } apps(first: 5) { edges { node { package snapshot title } } } } } } }")),
    ("heavy but allowed: most fields of 1,000 models", () => Json("{ models(first: 1000) { edges { node { sha256 format bytes encrypted appCount fileCount " +
        "firstSeen firstSeenAt lastSeen analyserVersion params macs macsUnknownNodes flops quantized layers task taskRule archFingerprint dissectionError " +
        "metadata { key value } ops { name count } weightDtypes { dtype count } inputs { name shape dimNames dtype } " +
        "outputs { name shape dimNames dtype } } } } }")),
    ("heavy but allowed: 1,000 apps with models", () => Json($$"""{ snapshot(id: "{{last}}") { apps(first: 1000) { edges { node { package title installs models { path sha256 format bytes model { params macs task } } frameworks { name evidence } } } } } }""")),
};
foreach (var (name, body) in hostile)
{
    var sw = Stopwatch.StartNew();
    var response = await http.PostAsync("/graphql", body());
    string text = await response.Content.ReadAsStringAsync();
    double ms = sw.Elapsed.TotalMilliseconds;
    peak = Math.Max(peak, Rss());
    string message = JsonNode.Parse(text)?["errors"]?[0]?["message"]?.ToString() ?? $"answered, {text.Length / 1024.0:0} KB";
    Console.WriteLine($"  {name,-48} HTTP {(int)response.StatusCode} in {ms,7:0.0} ms, RSS {Rss() / 1048576.0,5:0} MB: {Shorten(message)}");
}
await Task.Delay(3000);
long after = Rss();
Console.WriteLine($"RSS: baseline {baseline / 1048576.0:0} MB, peak {peak / 1048576.0:0} MB, 3 s after the last {after / 1048576.0:0} MB " +
    $"({(after - baseline) * 100.0 / baseline:+0;-0} % of baseline)   target: within 20 % {(after <= baseline * 1.2 ? "met" : "NOT MET")}");
met &= after <= baseline * 1.2;
Console.WriteLine(met ? "all targets met" : "SOME TARGETS NOT MET");
return met ? 0 : 1;

static HttpContent Json(string query) => JsonContent.Create(new { query });

static Dictionary<string, double> ServerTiming(HttpResponseMessage response) =>
    string.Join(",", response.Headers.GetValues("Server-Timing")).Split(',').Select(m => m.Trim().Split(";dur="))
        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

static string Shorten(string text) => text.Length > 90 ? text[..90] + "…" : text;

static double Percentile(IReadOnlyCollection<double> values, double p)
{
    var sorted = values.Order().ToList();
    double rank = p / 100 * (sorted.Count - 1);
    int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

static long Rss()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    return 0;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

internal static partial class Program
{
    private const string ChurnFields = "appsBefore appsAfter appsContinuing appsNew appsDelisted appsVersionChanged appsAdoptedDl appsDroppedDl " +
        "appsWithModelChanges appsWithUpdatedModels appsFrameworkMigrated modelsUnchanged modelsUpdated modelsAdded modelsRemoved " +
        "newAppsWithModels modelsInNewApps modelsInDelistedApps uniqueModelSha256New uniqueModelSha256Gone";
}
