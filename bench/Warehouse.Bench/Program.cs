// Warehouse.Bench: issue 8's warehouse figures, each beside its baseline, in one run (docs/benchmarks.md, "Warehouse").
//   live     a further 10-app snapshot ingested by `gaugenn ingest` while `gaugenn serve` runs: time from the ingest's
//            exit until `{ snapshots { id } }` lists it (median of --live runs; target <= 2 s)
//   step     the tables one projection step rewrites for a measurement-sized batch (DeviceRegistered +
//            MeasurementRecorded appended through the application layer), beside a 10-app snapshot's step
//   rebuild  `project --rebuild` (the use case), --rebuilds times in a row, each beside the DuckDB appender inserting the
//            same final rows: every row the rebuilt file holds (event and derived tables; <= 30 s, <= 3x), and the
//            derived tables' alone; the verdict is on the medians (the first rebuild of a process includes its JIT)
//   export   the Parquet lake beside DuckDB's own COPY ... (FORMAT parquet, PARTITION_BY (snapshot)) of the same tables
// --only rebuild times the rebuilds alone on the store a previous full run left in --work.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using GaugeNN.Application;
using GaugeNN.Application.UseCases;
using GaugeNN.Tests.Shared;
using GaugeNN.Warehouse.Bench;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

string corpusFolder = Option("--corpus") ?? "/tmp/gaugenn-bench/synth-16500x3";
string work = Option("--work") ?? "/tmp/gaugenn-bench/run";
int apps = int.Parse(Option("--apps") ?? "16500");
int liveRuns = int.Parse(Option("--live") ?? "5");
int rebuilds = int.Parse(Option("--rebuilds") ?? "5");
bool rebuildOnly = Option("--only") switch
{
    null => false,
    "rebuild" => true,
    var other => throw new ArgumentException($"--only {other}: the only part that runs alone is 'rebuild'"),
};
var ct = CancellationToken.None;

var snapshots = Corpus.Ensure(corpusFolder, apps, snapshots: 3, seed: 7, start: "2020-02");
var small = Enumerable.Range(1, liveRuns + 1)
    .Select(i => Corpus.Ensure($"{corpusFolder}-small/{i}", apps: 10, snapshots: 1, seed: 100 + i, start: $"2030-{i:00}").Single()).ToList();

string home = Path.Combine(work, "home");
var at = new CliEnvironment(home, null); // the data folder's own PostgreSQL, as a lab's first run has it
if (rebuildOnly)
{
    if (!File.Exists(new DataFolder(home).DuckDbFile))
        throw new InvalidOperationException($"--only rebuild needs the store of a previous full run in {work}");
    Console.WriteLine($"{Environment.ProcessorCount} cores; load average {LoadAverage()}");
    using var store = OpenGauge();
    await RebuildsAsync(store);
    Console.WriteLine($"load average at the end {LoadAverage()}");
    Check(await Gaugenn.RunAsync(at, "db", "stop"));
    return 0;
}
if (Directory.Exists(Path.Combine(home, "pg"))) await Gaugenn.RunAsync(at, "db", "stop");
if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
Directory.CreateDirectory(home);
Console.WriteLine($"corpus {corpusFolder}: {snapshots.Count} snapshots of about {apps} apps; {Environment.ProcessorCount} cores; load average {LoadAverage()}");

foreach (var folder in snapshots)
{
    var ingest = await Gaugenn.RunAsync(at, "ingest", "--snapshot", Path.GetFileName(folder), folder);
    Check(ingest);
    Console.WriteLine($"setup     gaugenn ingest {Path.GetFileName(folder)}: {ingest.Took.TotalSeconds:0.0} s");
}

// Live: the host follows the store; a finished ingest in another process shows up without any `project`.
var live = new List<TimeSpan>();
int port = FreePort();
using (var serve = Gaugenn.Start(at, "serve", "--port", $"{port}"))
using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
{
    var start = Stopwatch.StartNew();
    await CaughtUpAsync(http, serve);
    Console.WriteLine($"setup     gaugenn serve up and caught up with {snapshots.Count} snapshots: {start.Elapsed.TotalSeconds:0.0} s");
    // The first GraphQL request of a process builds the schema: timed apart, so that the live figures are the follower's.
    start.Restart();
    await VisibleAsync(http, serve, snapshots.Select(Path.GetFileName).ToArray()!);
    Console.WriteLine($"setup     serve's first GraphQL answer: {start.Elapsed.TotalSeconds:0.00} s");
    foreach (var folder in small.Take(liveRuns))
    {
        string id = Path.GetFileName(folder);
        var ingest = await Gaugenn.RunAsync(at, "ingest", "--snapshot", id, folder);
        Check(ingest);
        var sinceExit = Stopwatch.StartNew();
        await VisibleAsync(http, serve, id);
        live.Add(sinceExit.Elapsed);
        Console.WriteLine($"live      gaugenn ingest {id} ({ingest.Took.TotalSeconds:0.0} s) exited; listed by serve {sinceExit.Elapsed.TotalSeconds:0.00} s later");
        await CaughtUpAsync(http, serve); // the ingest's last events (its dissections) too, before the next one
    }
    serve.Terminate();
    Check(await serve.ExitAsync(TimeSpan.FromMinutes(1)));
}
var median = live.Order().ElementAt(live.Count / 2);
Console.WriteLine($"live      ingest exit -> visible over GraphQL: {string.Join(" ", live.Select(t => $"{t.TotalSeconds:0.00}"))} s; " +
                  $"median {median.TotalSeconds:0.00} s (target <= 2 s: {(median <= TimeSpan.FromSeconds(2) ? "met" : "MISSED")})");

using var gauge = OpenGauge();
var dataFolder = gauge.Folder;
await new CatchUpWarehouse(gauge).RunAsync(rebuild: false, null, ct); // whatever the host had not applied yet

// A measurement-sized batch: one device registration and one imported run, through the application layer.
string tflite = (await new GaugeNN.Warehouse.EventStore.EventLog(gauge.Store).ModelsAsync(ct)).First(m => m.Format == "tflite").Id;
await new RegisterDevice(gauge).ResolveAsync("SM-G991B", ct);
var import = await new ImportResults(gauge).RunAsync(
    new ImportRequest(ImportKind.BenchmarkLog, RepositoryRoot.Fixture(Path.Combine("benchmark-logs", "tflite-op-profiling.log")), "SM-G991B", tflite), ct);
var measured = await new CatchUpWarehouse(gauge).RunAsync(rebuild: false, null, ct);
Console.WriteLine($"step      a measurement batch ({measured.EventsApplied} events, {import.RunsAppended} run): {Describe(measured)}");

await RebuildsAsync(gauge);

// The lake, beside DuckDB's own partitioned COPY of the same tables.
var clock = Stopwatch.StartNew();
var (_, export) = await new ExportLake(gauge).RunAsync(Path.Combine(work, "lake"), LakeFormat.Parquet, incremental: false, null, ct);
var exporting = clock.Elapsed;
var copy = Baselines.Copy(dataFolder.DuckDbFile, Path.Combine(work, "copy"));
Console.WriteLine($"export    gaugenn export parquet: {export.Written} files in {exporting.TotalSeconds:0.00} s   " +
                  $"COPY ... PARTITION_BY (snapshot): {copy.Note}, {copy.Rows} rows in {copy.Took.TotalSeconds:0.00} s   ratio {exporting / copy.Took:0.0}x");

// The contrast: an app-sized batch (a further 10-app snapshot), its step, and the incremental export after it.
await new IngestSnapshot(gauge).RunAsync(new IngestRequest(Path.GetFileName(small[^1]), small[^1]), null, ct);
var appStep = await new CatchUpWarehouse(gauge).RunAsync(rebuild: false, null, ct);
Console.WriteLine($"step      a 10-app snapshot ({appStep.EventsApplied} events): {Describe(appStep)}");
clock.Restart();
var (_, incremental) = await new ExportLake(gauge).RunAsync(Path.Combine(work, "lake"), LakeFormat.Parquet, incremental: true, null, ct);
Console.WriteLine($"export    export parquet --incremental after it: {incremental.Written} files written, {incremental.Unchanged} unchanged, " +
                  $"{incremental.Removed} removed in {clock.Elapsed.TotalSeconds:0.00} s");
Console.WriteLine($"load average at the end {LoadAverage()}");
Check(await Gaugenn.RunAsync(at, "db", "stop"));
return 0;

Gauge OpenGauge()
{
    var folder = new DataFolder(home);
    return Gauge.Open(folder, folder.Cluster.EnsureRunning(), GaugeStore.DefaultSchema);
}

// Rebuilds from zero, each beside the appender writing the same final rows: every row the rebuild leaves in the file
// (its event tables and derived tables), and the derived tables alone. Then the medians, and the verdict on them.
async Task RebuildsAsync(Gauge gauge)
{
    var runs = new List<(TimeSpan Rebuild, Baselines.Figure All, Baselines.Figure Derived)>();
    for (int i = 0; i < rebuilds; i++)
    {
        var clock = Stopwatch.StartNew();
        var rebuilt = await new CatchUpWarehouse(gauge).RunAsync(rebuild: true, null, ct);
        var rebuild = clock.Elapsed;
        // Reading overlaps projecting: what is left of it is the time a step waited for events, and the rest before steps.
        var projecting = rebuilt.Steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Took - s.ReadWait);
        var all = Baselines.Appender(gauge.Folder.DuckDbFile, Path.Combine(work, "appender.duckdb"), eventTables: true);
        var derived = Baselines.Appender(gauge.Folder.DuckDbFile, Path.Combine(work, "appender.duckdb"), eventTables: false);
        runs.Add((rebuild, all, derived));
        Console.WriteLine($"rebuild   project --rebuild: {rebuilt.EventsApplied} events in {rebuild.TotalSeconds:0.00} s " +
                          $"(reading the events, where not overlapped by projecting {(rebuild - projecting).TotalSeconds:0.00} s, " +
                          $"projecting {projecting.TotalSeconds:0.00} s, {rebuilt.Steps.Count} steps)   " +
                          $"appender, every final row ({all.Rows} rows, {all.Note}): {Ratios(rebuild, all.Took, all.WithCheckpoint!.Value)}   " +
                          $"derived only ({derived.Rows} rows, {derived.Note}): {Ratios(rebuild, derived.Took, derived.WithCheckpoint!.Value)}");
    }
    TimeSpan Median(Func<(TimeSpan Rebuild, Baselines.Figure All, Baselines.Figure Derived), TimeSpan> of) =>
        runs.Select(of).Order().ElementAt(runs.Count / 2);
    var (rebuildMedian, allMedian) = (Median(r => r.Rebuild), Median(r => r.All.Took));
    Console.WriteLine($"rebuild   medians of {runs.Count}: rebuild {rebuildMedian.TotalSeconds:0.00} s (target <= 30 s: {(rebuildMedian <= TimeSpan.FromSeconds(30) ? "met" : "MISSED")})   " +
                      $"appender, every final row: {Ratios(rebuildMedian, allMedian, Median(r => r.All.WithCheckpoint!.Value))} " +
                      $"(target <= 3x before its checkpoint: {(rebuildMedian <= 3 * allMedian ? "met" : "MISSED")})   " +
                      $"derived only: {Ratios(rebuildMedian, Median(r => r.Derived.Took), Median(r => r.Derived.WithCheckpoint!.Value))}");
}

static string Ratios(TimeSpan rebuild, TimeSpan appender, TimeSpan withCheckpoint) =>
    $"{appender.TotalSeconds:0.00} s, {rebuild / appender:0.0}x (with its CHECKPOINT {withCheckpoint.TotalSeconds:0.00} s, {rebuild / withCheckpoint:0.0}x)";

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static void Check(CliExit exit)
{
    if (exit.Code != 0) throw new InvalidOperationException(exit.ToString());
}

static string Describe(CatchUpReport report)
{
    var tables = report.Steps.SelectMany(s => s.Tables).GroupBy(t => t.Table)
        .Select(g => $"{g.Key} (-{g.Sum(t => t.RowsDeleted)}/+{g.Sum(t => t.RowsInserted)})").ToList();
    bool churn = report.Steps.SelectMany(s => s.Tables).Any(t => t.Table.Contains("churn", StringComparison.Ordinal));
    return $"{report.Steps.Sum(s => s.Took.TotalSeconds):0.000} s, full recompute: {(report.Steps.Any(s => s.Full) ? "yes" : "no")}, " +
           $"churn touched: {(churn ? "yes" : "no")}, {tables.Count} of {WarehouseSchema.Tables.Count} tables rewritten: {string.Join(", ", tables)}";
}

static async Task VisibleAsync(HttpClient http, Gaugenn serve, params string[] ids)
{
    var limit = Stopwatch.StartNew();
    while (true)
    {
        if (serve.HasExited) throw new InvalidOperationException($"serve exited:\n{serve.Output}");
        try
        {
            using var response = await http.PostAsJsonAsync("/graphql", new { query = "{ snapshots { id } }" });
            var listed = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["data"]?["snapshots"]?.AsArray().Select(s => (string?)s!["id"]).ToHashSet();
            if (listed is not null && ids.All(listed.Contains)) return;
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }
        if (limit.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{string.Join(", ", ids)} never became visible:\n{serve.Output}");
        await Task.Delay(10);
    }
}

// The host's health answer: it has applied everything it found, the last time it looked (an idle poll sets head).
static async Task CaughtUpAsync(HttpClient http, Gaugenn serve)
{
    var limit = Stopwatch.StartNew();
    while (true)
    {
        if (serve.HasExited) throw new InvalidOperationException($"serve exited:\n{serve.Output}");
        try
        {
            var health = JsonNode.Parse(await http.GetStringAsync("/healthz"))!;
            if ((string?)health["status"] == "ok" && (long)health["checkpoint"]! > 0 && (long)health["checkpoint"]! == (long)health["head"]!) return;
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }
        if (limit.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"serve did not catch up:\n{serve.Output}");
        await Task.Delay(50);
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
