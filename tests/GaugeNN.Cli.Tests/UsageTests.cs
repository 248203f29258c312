using System.Text.RegularExpressions;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Cli.Tests;

/// <summary>
/// The command line as a new user meets it: help for every verb, the version, typos and bad values. None of these
/// needs PostgreSQL, and none may touch the data folder (it must not even be created).
/// </summary>
public sealed class UsageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gaugenn-cli-usage-").FullName;
    private string HomeFolder => Path.Combine(_root, "home");

    private Task<Outcome> RunAsync(params string[] args) =>
        Gaugenn.RunAsync(args, new Dictionary<string, string?> { ["GAUGENN_HOME"] = HomeFolder, ["GAUGENN_PG"] = "Host=127.0.0.1;Port=1" });

    private static readonly string[] VerbPaths =
    [
        "", "demo", "ingest", "reanalyse", "project", "export", "export parquet", "export arrow", "serve", "devices", "bench",
        "import", "import benchmark-log", "import benchncnn", "import mnn-benchmark", "import mlperf", "import power-trace",
        "db", "db status", "db start", "db stop",
    ];

    public static readonly TheoryData<string> Verbs = new(VerbPaths);

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task every_verb_answers_help_with_exit_0_and_touches_nothing(string verb)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var outcome = await RunAsync([.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), help]);
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Contains("Usage:", outcome.Stdout);
            Assert.Contains($"gaugenn {verb}".Trim(), outcome.Stdout);
            Assert.Equal("", outcome.Stderr);
        }
        Assert.False(Directory.Exists(HomeFolder), "help created the data folder");
    }

    [Fact]
    public async Task the_verb_list_in_help_is_the_one_every_help_test_covers()
    {
        var help = await RunAsync("--help");
        var listed = Regex.Matches(help.Stdout.Split("Commands:")[1], @"^  (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        var covered = VerbPaths.Where(v => v.Length > 0 && !v.Contains(' '));
        Assert.Equal(covered.Order(), listed.Order());
    }

    [Fact]
    public async Task option_help_shows_defaults_and_units()
    {
        var ingest = await RunAsync("ingest", "--help");
        Assert.Matches(@"--max-entry-mb <N>\s+largest inflated zip entry read, in MiB .*\[default: 1024\]", ingest.Stdout);
        Assert.Matches(@"--max-ratio <N>\s+.*\[default: 1000\]", ingest.Stdout);
        Assert.Matches(@"--snapshot <ID> \(REQUIRED\)", ingest.Stdout);
        var serve = await RunAsync("serve", "--help");
        Assert.Matches(@"--port <PORT>\s+.*0 picks a free port \[default: 8642\]", serve.Stdout);
        var bench = await RunAsync("bench", "--help");
        Assert.Matches(@"--runs <N>\s+timed inferences per model \[default: 50\]", bench.Stdout);
        Assert.Matches(@"--cooldown-c <°C>", bench.Stdout);
    }

    [Fact]
    public async Task version_names_the_tool_the_analyser_and_the_event_schema()
    {
        var outcome = await RunAsync("--version");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var lines = outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^gaugenn \d+\.\d+\.\d+", lines[0]);
        Assert.Matches(@"^analyser v\d+$", lines[1]);
        Assert.Matches(@"^events: \d+ appendable types, \d+ superseded \(read through upcasters\), catalogue digest [0-9a-f]{12}$", lines[2]);
        Assert.Matches(@"^lake v\d+$", lines[3]);
        // The digest is over the aliases of the catalogue: the golden event fixtures are named by them.
        var aliases = Directory.EnumerateFiles(RepositoryRoot.Fixture("events"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', aliases))))[..12];
        Assert.EndsWith(digest, lines[2]);
    }

    [Theory]
    [InlineData("ingst", "unknown verb 'ingst' (did you mean ingest?)")]
    [InlineData("db stauts", "gaugenn db: unknown verb 'stauts' (did you mean status?)")]
    [InlineData("ingest --snapshto 2021-04 .", "gaugenn ingest: unknown option --snapshto (did you mean --snapshot?)")]
    [InlineData("bench --warmpu 3", "gaugenn bench: unknown option --warmpu (did you mean --warmup?)")]
    [InlineData("export parquet out --incremantal", "unknown option --incremantal (did you mean --incremental?)")]
    public async Task a_typo_is_a_usage_error_with_a_suggestion(string args, string said)
    {
        var outcome = await RunAsync(args.Split(' '));
        AssertUsageError(outcome, said);
    }

    [Theory]
    [InlineData("serve --port 99999", "--port: '99999' is not a whole number from 0 to 65535")]
    [InlineData("serve --port", "'--port'")]
    [InlineData("serve --port http", "--port: 'http'")]
    [InlineData("ingest --snapshot 2021-04 --parallel lots .", "--parallel: 'lots' is not a whole number from 1 to 256")]
    [InlineData("ingest --snapshot 2021-04 --max-entry-mb 0 .", "--max-entry-mb: '0'")]
    [InlineData("ingest --snapshot ../etc .", "--snapshot: snapshot id '../etc' is not allowed")]
    [InlineData("ingest --snapshot 2021-04 --captured-at 2021-13-01 .", "--captured-at: '2021-13-01' is not a date YYYY-MM-DD")]
    [InlineData("ingest --snapshot 2021-04 --shard 3/2 .", "--shard: shard '3/2' is not i/N")]
    [InlineData("ingest --snapshot 2021-04 /no/such/folder", "DIR /no/such/folder: no such folder")]
    [InlineData("ingest --snapshot top100 .", "give its capture date with --captured-at")]
    [InlineData("project --rebuild yes", "unexpected argument 'yes' (--rebuild takes no value)")]
    [InlineData("export parquet", "'OUT'")]
    [InlineData("bench --runs 0", "--runs: '0' is not a whole number from 1 to 1000000")]
    [InlineData("bench --model abc", "--model abc: 'abc' is not a sha256")]
    [InlineData("bench --runtime tflite", "--runtime tflite: the host runs onnxruntime and litert")]
    [InlineData("bench --runtime coreml", "--runtime coreml: expected onnxruntime, tflite, ncnn, mnn, litert")]
    [InlineData("bench --runtime litert --threads 2", "--threads 2: litert on the host runs single-threaded")]
    [InlineData("bench --runtime litert --backend cpu", "--backend cpu: litert runs on xnnpack-wasm")]
    [InlineData("bench --runtime litert --option graphOptimization=basic", "--option: unknown host TFLite runner option 'graphOptimization'")]
    [InlineData("bench --device pixel-7 --runtime litert", "--runtime litert runs on the host only")]
    [InlineData("bench --backend vulkan", "--backend vulkan:")]
    [InlineData("bench --option threads", "--option threads: 'threads' is not KEY=VALUE")]
    [InlineData("bench --option colour=blue", "--option: unknown host runner option 'colour'")]
    [InlineData("bench --option graphOptimization=max", "--option: graphOptimization 'max'")]
    [InlineData("bench --pin big", "--pin applies to phones")]
    [InlineData("bench --cooldown-c 40", "--cooldown-c applies to phones")]
    [InlineData("bench --device pixel-7 --cooldown-c 400", "--cooldown-c: '400' is not a number from 20 to 100")]
    [InlineData("bench --resume 20240101-000000-abcdef --runs 3", "--runs does not go with --resume")]
    [InlineData("import benchmark-log README.md", "Option '--device' is required")]
    [InlineData("import mlperf /no/such.json --device host", "FILE /no/such.json: no such file")]
    [InlineData("import benchmark-log README.md --device host --model 12", "--model: '12' is not a sha256")]
    [InlineData("import power-trace README.md --device host --run r --idle 5:1", "--idle: '5:1' is not START:END")]
    [InlineData("import power-trace README.md --device host --run r --idle 0:1 --trace-start yesterday", "--trace-start: 'yesterday' is not an ISO 8601 time")]
    public async Task a_bad_value_is_a_usage_error_naming_the_option_before_any_work(string args, string said)
    {
        var outcome = await Gaugenn.RunAsync(args.Split(' '), new Dictionary<string, string?>
        {
            ["GAUGENN_HOME"] = HomeFolder, ["GAUGENN_PG"] = "Host=127.0.0.1;Port=1",
        });
        AssertUsageError(outcome, said);
    }

    private void AssertUsageError(Outcome outcome, string said)
    {
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(said, outcome.Stderr);
        Assert.Equal("", outcome.Stdout);
        Assert.DoesNotContain("   at ", outcome.Stderr); // no stack trace
        Assert.All(outcome.StderrLines, line => Assert.StartsWith("gaugenn", line)); // one plain line per problem
        Assert.False(Directory.Exists(HomeFolder), "a usage error created the data folder");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
