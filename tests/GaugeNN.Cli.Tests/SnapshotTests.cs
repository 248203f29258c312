using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Cli.Tests;

/// <summary>
/// A 2,000-app synthetic snapshot (tools/synth-corpus.py with its default models), ingested once the way a person
/// would: started, stopped with SIGTERM, run again to the end (stderr is a pipe, so progress comes as plain lines),
/// and run a third time. Every reporting verb then runs on that data folder with <c>--json</c>.
/// </summary>
public sealed class SyntheticSnapshot : Home
{
    public const int Apps = 2000;
    public const string Snapshot = "2020-02";

    public string Folder => Path.Combine(Root, "synth", Snapshot);
    public Outcome Stopped { get; private set; } = null!;
    public Outcome Finished { get; private set; } = null!;
    public Outcome Again { get; private set; } = null!;

    /// <summary>ONNX models of the snapshot by the fixture model they vary (pool entries only: their origin is known).</summary>
    public List<(string Sha256, string Base)> OnnxModels { get; private set; } = [];

    /// <summary>TFLite models of the snapshot, likewise (weight bytes varied: still valid models).</summary>
    public List<(string Sha256, string Base)> TfliteModels { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var python = Process.Start(new ProcessStartInfo("python3",
            [Path.Combine(RepositoryRoot.Path, "tools", "synth-corpus.py"), Path.Combine(Root, "synth"), "--apps", $"{Apps}", "--snapshots", "1",
             "--seed", "5", "--model-pool", "small", "--per-app"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string said = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, said);

        var pool = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "synth", "expected.json")))!["pool"]!.AsArray()
            .ToDictionary(p => p!["sha256"]!.GetValue<string>(), p => p!["base"]!.GetValue<string>());
        List<(string, string)> Models(string framework) => File.ReadLines(Path.Combine(Root, "synth", $"expected-apps-{Snapshot}.jsonl"))
            .SelectMany(line => JsonNode.Parse(line)!["models"]!.AsArray())
            .Where(m => m!["framework"]!.GetValue<string>() == framework)
            .Select(m => m!["sha256"]!.GetValue<string>())
            .Distinct().Where(pool.ContainsKey).Select(sha => (sha, pool[sha])).OrderBy(m => m.sha, StringComparer.Ordinal).ToList();
        OnnxModels = Models("onnx");
        TfliteModels = Models("tflite");

        string[] ingest = ["ingest", "--snapshot", Snapshot, Folder, "--json"];
        await using (var first = Start(ingest))
        {
            await first.WaitForAsync("ingest: started", TimeSpan.FromMinutes(2));
            await Task.Delay(300); // a few batches in
            first.Signal(Signals.Terminate);
            Stopped = await first.WaitAsync(TimeSpan.FromMinutes(1));
        }
        Finished = await RunAsync(ingest);
        Again = await RunAsync([.. ingest, "--quiet"]);
    }
}

public sealed partial class SnapshotTests(SyntheticSnapshot data) : IClassFixture<SyntheticSnapshot>
{
    [GeneratedRegex(@"^gaugenn ingest: stopped; (\d+) apps were read in this run; the event store holds (\d+) apps of snapshot 2020-02 \(apps are committed in batches as they are read, never half\)\. Run the same command again to finish: what is recorded appends nothing\.$")]
    private static partial Regex StoppedIngest();

    [Fact]
    public void a_stopped_ingest_exits_130_saying_what_it_committed_and_the_next_run_appends_only_the_rest()
    {
        Assert.True(data.Stopped.ExitCode == 130, data.Stopped.ToString());
        Assert.Equal("", data.Stopped.Stdout); // no report: the run did not finish
        var said = StoppedIngest().Match(data.Stopped.StderrLines[^1]);
        Assert.True(said.Success, data.Stopped.ToString());
        int held = int.Parse(said.Groups[2].Value);
        Assert.InRange(held, 0, int.Parse(said.Groups[1].Value));

        var finished = data.Finished.Json();
        Assert.Equal(SyntheticSnapshot.Apps, finished["appsRead"]!.GetValue<int>());
        Assert.Equal(held, finished["appsUnchanged"]!.GetValue<int>());
        Assert.Equal(SyntheticSnapshot.Apps - held, finished["appsChanged"]!.GetValue<int>());
    }

    [GeneratedRegex(@"^(ingest|dissect): (started \((~?\d+) (apps|models)\)|(\d+)(/~?\d+)? (apps|models), [\d.]+ \7/s(, ~[\d.]+ (s|min \d+ s) left)?|(\d+) (apps|models) in ([\d.]+) s \([\d.]+ \11/s\))$")]
    private static partial Regex ProgressLine();

    [Fact]
    public void a_non_terminal_ingest_prints_progress_lines_on_stderr_and_one_json_document_on_stdout()
    {
        Assert.True(data.Finished.ExitCode == 0, data.Finished.ToString());
        var report = data.Finished.Json();
        Assert.Equal(SyntheticSnapshot.Snapshot, report["snapshot"]!.GetValue<string>());
        Assert.Equal(0, report["scanFailures"]!.GetValue<int>());
        Assert.Equal(2, report["analysis"]!["analyserVersion"]!.GetValue<int>());

        var lines = data.Finished.StderrLines.Select(l => (Line: l, Match: ProgressLine().Match(l))).ToList();
        Assert.All(lines, l => Assert.True(l.Match.Success, $"not a progress line: '{l.Line}'\n{data.Finished}"));
        Assert.Equal($"ingest: started (~{SyntheticSnapshot.Apps} apps)", lines[0].Line);
        var ingestEnd = lines.Single(l => l.Line.StartsWith("ingest: ") && l.Match.Groups[10].Success);
        Assert.Equal($"{SyntheticSnapshot.Apps}", ingestEnd.Match.Groups[10].Value);
        Assert.Contains(lines, l => l.Line.StartsWith("dissect: ") && l.Match.Groups[10].Success);
        // A line every 2 s while a stage runs: a stage that ran 2.5 s or longer printed at least one.
        double seconds = double.Parse(ingestEnd.Match.Groups[12].Value, System.Globalization.CultureInfo.InvariantCulture);
        int periodic = lines.Count(l => l.Line.StartsWith("ingest: ") && l.Match.Groups[5].Success);
        if (seconds >= 2.5) Assert.True(periodic >= 1, data.Finished.ToString());
        Assert.True(periodic <= seconds / 2 + 1, data.Finished.ToString());
    }

    [Fact]
    public void ingesting_the_same_snapshot_again_appends_nothing_and_quiet_prints_nothing_on_stderr()
    {
        Assert.True(data.Again.ExitCode == 0, data.Again.ToString());
        var again = data.Again.Json();
        Assert.Equal(0, again["eventsAppended"]!.GetValue<int>());
        Assert.Equal(SyntheticSnapshot.Apps, again["appsUnchanged"]!.GetValue<int>());
        Assert.Equal("", data.Again.Stderr);
    }

    [Fact]
    public async Task project_reports_the_warehouse_caught_up_to_the_event_store()
    {
        var outcome = await data.RunAsync("project", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = outcome.Json();
        Assert.EndsWith("warehouse.duckdb", report["warehouse"]!.GetValue<string>());
        Assert.Equal(report["catchUp"]!["storeHead"]!.GetValue<long>(), report["catchUp"]!["checkpoint"]!.GetValue<long>());
    }

    [Fact]
    public async Task export_reports_the_files_it_wrote_and_an_incremental_export_rewrites_none()
    {
        string lake = Path.Combine(data.Root, "lake");
        var first = await data.RunAsync("export", "parquet", lake, "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var files = first.Json()["export"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.Equal(first.Json()["export"]!["written"]!.GetValue<int>(), files.Count);
        Assert.Contains(files, f => f.Contains($"snapshot={SyntheticSnapshot.Snapshot}"));
        Assert.All(files, f => Assert.True(File.Exists(Path.IsPathRooted(f) ? f : Path.Combine(lake, f)), f));

        var incremental = await data.RunAsync("export", "parquet", lake, "--incremental", "--json");
        Assert.True(incremental.ExitCode == 0, incremental.ToString());
        Assert.Equal(0, incremental.Json()["export"]!["written"]!.GetValue<int>());
        Assert.Equal(files.Count, incremental.Json()["export"]!["unchanged"]!.GetValue<int>());

        var arrow = await data.RunAsync("export", "arrow", Path.Combine(data.Root, "arrow"));
        Assert.True(arrow.ExitCode == 0, arrow.ToString());
        Assert.Matches(@"^\d+ arrow files written, 0 unchanged, 0 removed under ", arrow.Stdout.Split('\n')[1]);
    }

    [Fact]
    public async Task reanalyse_after_the_ingest_finds_nothing_to_dissect()
    {
        var outcome = await data.RunAsync("reanalyse", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(0, outcome.Json()["dissected"]!.GetValue<int>());
        Assert.Equal(0, outcome.Json()["failed"]!.GetValue<int>());
    }

    [Fact]
    public async Task devices_lists_the_host_and_the_phones_imports_registered()
    {
        var import = await data.RunAsync("import", "benchmark-log", RepositoryRoot.Fixture("benchmark-logs/tflite-xnnpack-partial.log"),
            "--device", "SM-A515F", "--model", data.OnnxModels[0].Sha256, "--quiet");
        Assert.True(import.ExitCode == 0, import.ToString());
        var outcome = await data.RunAsync("devices", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var devices = outcome.Json()["devices"]!.AsArray().Select(d => d!["device"]!).ToList();
        Assert.Equal("host", devices[0]["deviceId"]!.GetValue<string>());
        Assert.Equal("host", devices[0]["tier"]!.GetValue<string>());
        var phone = devices.Single(d => d["deviceId"]!.GetValue<string>() == "SM-A515F");
        Assert.False(phone["inferred"]!.GetValue<bool>());
        Assert.NotNull(phone["year"]);

        var table = await data.RunAsync("devices");
        Assert.Matches(@"(?m)^device\s+tier\s+year\s+soc / cpu\s+model\s+registered\s+source$", table.Stdout);
        Assert.Matches(@"(?m)^SM-A515F\s+\w+\s+\d{4}\s+", table.Stdout);
    }

    [Fact]
    public async Task bench_says_its_plan_measures_the_models_and_resume_finds_them_measured()
    {
        var conv = data.OnnxModels.First(m => m.Base.Contains("operator_conv"));
        var other = data.OnnxModels.First(m => m.Base != conv.Base);
        var outcome = await data.RunAsync("bench", "--model", conv.Sha256, "--model", other.Sha256, "--runs", "5", "--warmup", "1", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = outcome.Json();
        string plan = report["planId"]!.GetValue<string>();
        Assert.Contains($"plan {plan}: 2 runs; if it is stopped, `gaugenn bench --resume {plan}` finishes it", outcome.Stderr);
        var runs = report["runs"]!.AsArray();
        Assert.Equal(2, runs.Count);
        var measured = runs.Single(r => r!["modelSha256"]!.GetValue<string>() == conv.Sha256)!;
        Assert.Equal("measured", measured["status"]!.GetValue<string>());
        Assert.Equal(5, measured["measurement"]!["timedRuns"]!.GetValue<int>());
        Assert.True(measured["measurement"]!["p50Ms"]!.GetValue<double>() > 0);
        Assert.All(runs, r => Assert.True(r!["status"]!.GetValue<string>() == "measured" || r["reason"]!.GetValue<string>().Length > 0));

        var resumed = await data.RunAsync("bench", "--resume", plan);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches($@"(?m)^plan {plan}: 2 runs — ", resumed.Stdout);
        Assert.Matches(@"(?m)^model\s+device\s+runtime\s+status\s+p50 ms\s+mean ms\s+init ms\s+reason$", resumed.Stdout);
        Assert.Matches($@"(?m)^{conv.Sha256[..12]}  host    onnxruntime  already measured\s+\d+\.\d{{3}}\s+\d+\.\d{{3}}\s+\d+\.\d\s*$", resumed.Stdout);

        var devices = (await data.RunAsync("devices", "--json")).Json()["devices"]!.AsArray();
        Assert.True(devices.Single(d => d!["device"]!["deviceId"]!.GetValue<string>() == "host")!["registered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task bench_on_the_host_measures_tflite_models_with_litert_and_onnx_models_with_onnx_runtime_in_one_plan()
    {
        var tflite = data.TfliteModels.Take(2).Select(m => m.Sha256).ToList();
        var onnx = data.OnnxModels.First(m => m.Base.Contains("operator_conv")).Sha256;
        var outcome = await data.RunAsync(["bench", .. tflite.SelectMany(m => new[] { "--model", m }), "--model", onnx, "--runs", "4", "--warmup", "1", "--json"]);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var runs = outcome.Json()["runs"]!.AsArray();
        Assert.Equal(3, runs.Count); // each model with the runtime that reads its format, not with both
        Assert.Equal("onnxruntime", runs.Single(r => r!["modelSha256"]!.GetValue<string>() == onnx)!["runtime"]!.GetValue<string>());
        foreach (var run in runs.Where(r => tflite.Contains(r!["modelSha256"]!.GetValue<string>())))
        {
            Assert.True(run!["status"]!.GetValue<string>() == "measured", run.ToJsonString());
            var m = run["measurement"]!;
            Assert.Equal(("litert", "xnnpack-wasm", "gaugenn-litert-runner", 4), (m["runtime"]!.GetValue<string>(), m["backend"]!.GetValue<string>(),
                m["tool"]!.GetValue<string>(), m["timedRuns"]!.GetValue<int>()));
            Assert.False(string.IsNullOrEmpty(m["runtimeVersion"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task without_node_tflite_runs_are_not_runnable_said_once_with_the_install_command_and_nothing_is_recorded()
    {
        var tflite = data.TfliteModels.Skip(2).Take(2).Select(m => m.Sha256).ToList();
        string empty = Directory.CreateTempSubdirectory("gaugenn-no-node-").FullName;
        var env = new Dictionary<string, string?>(data.Env) { ["PATH"] = empty };
        Outcome outcome;
        try
        {
            outcome = await Gaugenn.RunAsync(["bench", .. tflite.SelectMany(m => new[] { "--model", m }), "--runs", "2", "--json"], env);
        }
        finally
        {
            Directory.Delete(empty);
        }
        Assert.True(outcome.ExitCode == 1, outcome.ToString()); // runs of the plan are missing, as for a device not attached
        const string said = "TFLite models are not benched on the host: node is not installed (apt-get install nodejs)";
        Assert.Single(Regex.Matches(outcome.Stderr, Regex.Escape(said)));
        var runs = outcome.Json()["runs"]!.AsArray();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(("notRunnable", said), (r!["status"]!.GetValue<string>(), r["reason"]!.GetValue<string>())));

        // Nothing was recorded: with node back, the same plan runs them.
        string plan = outcome.Json()["planId"]!.GetValue<string>();
        var resumed = await data.RunAsync("bench", "--resume", plan, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.All(resumed.Json()["runs"]!.AsArray(), r => Assert.Equal("measured", r!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task a_stopped_bench_exits_130_with_the_command_that_resumes_its_plan()
    {
        var conv = data.OnnxModels.First(m => m.Base.Contains("operator_conv"));
        await using var bench = data.Start("bench", "--model", conv.Sha256, "--runs", "1000000", "--warmup", "0");
        await bench.WaitForAsync("bench: started", TimeSpan.FromMinutes(2));
        var stopping = Stopwatch.StartNew();
        bench.Signal(Signals.Interrupt);
        var outcome = await bench.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(outcome.ExitCode == 130, outcome.ToString());
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"took {stopping.Elapsed.TotalSeconds:0.0} s to stop");
        var plan = Regex.Match(outcome.Stderr, @"plan (\S+): 1 runs").Groups[1].Value;
        Assert.Contains($"gaugenn bench: stopped; 0 runs of plan {plan} ended in this run, each recorded as it ended; `gaugenn bench --resume {plan}` runs the rest", outcome.Stderr);
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task import_appends_a_file_once_and_refuses_a_malformed_one_with_its_line()
    {
        string log = RepositoryRoot.Fixture("benchmark-logs/tflite-gpu-percentiles.log");
        string model = data.OnnxModels[^1].Sha256;
        var first = await data.RunAsync("import", "benchmark-log", log, "--device", "SM-G991B", "--model", model, "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var report = first.Json();
        Assert.Equal(1, report["runsRead"]!.GetValue<int>());
        Assert.Equal(1, report["runsAppended"]!.GetValue<int>());
        string run = report["runIds"]![0]!.GetValue<string>();

        var again = await data.RunAsync("import", "benchmark-log", log, "--device", "SM-G991B", "--model", model);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("1 runs read, 0 appended — already imported: the same file appends nothing", again.Stdout);

        string trace = RepositoryRoot.Fixture("benchmark-logs/power-mw-seconds.csv");
        string[] power = ["import", "power-trace", trace, "--device", "SM-G991B", "--run", run, "--window", "1.5:3.5", "--idle", "0:1", "--json"];
        var energy = await data.RunAsync(power);
        Assert.True(energy.ExitCode == 0, energy.ToString());
        Assert.Equal(1, energy.Json()["runsAppended"]!.GetValue<int>());
        Assert.Equal(0, (await data.RunAsync(power)).Json()["runsAppended"]!.GetValue<int>());

        var lines = await File.ReadAllLinesAsync(log);
        int broken = Array.FindIndex(lines, l => l.Contains("count=") && l.Contains(" avg="));
        lines[broken] = lines[broken].Replace(" avg=", " avg=x");
        string bad = Path.Combine(data.Root, "broken.log");
        await File.WriteAllLinesAsync(bad, lines);
        var refused = await data.RunAsync("import", "benchmark-log", bad, "--device", "SM-G991B", "--model", model);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.StartsWith($"gaugenn import benchmark-log: tflite benchmark_model log: line {broken + 1}: ", refused.Stderr);
        Assert.Contains("the file is refused whole: nothing was imported", refused.Stderr);
        Assert.Single(refused.StderrLines);
    }
}
