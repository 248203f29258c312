using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using GaugeNN.Integration.Tests;
using GaugeNN.Measure.Import;
using GaugeNN.Tests.Shared;
using Xunit;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// The fixture corpus (both sample snapshots) with measurements, served by the real host: benchmark_model logs
/// imported for the most reused model on catalogued phones of several tiers and years, one run of another model, and
/// a power trace for one run — so every chart of the dashboard has data.
/// </summary>
public sealed class MeasuredCorpus : IAsyncLifetime
{
    /// <summary>A run imported for the dashboard: which log, on which phone, of which model, and what the log says.</summary>
    public sealed record Run(string Log, string Device, string Model, ImportedRun Figures, string RunId);

    private readonly Workspace _workspace = new();
    private WarehouseHost? _host;

    public string Url => _host!.Url;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The model shipped by the most apps (ties: the smaller sha256): the dashboard's default measured model.</summary>
    public string MostReused { get; } = Truth.AppsPerModel().OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).First().Key;

    /// <summary>A model shipped by one app, measured once.</summary>
    public string Other { get; } = Truth.AppsPerModel().Where(m => m.Value == 1).Select(m => m.Key).Order(StringComparer.Ordinal)
        .First(sha => Truth.IdentifiedModelSizes().ContainsKey(sha));

    public List<Run> Runs { get; } = [];

    /// <summary>The run a power trace was imported for, and the trace's closed-form energy per inference (mJ).</summary>
    public (Run Run, double EnergyMj) Energy { get; private set; }

    public async Task InitializeAsync()
    {
        foreach (string snapshot in Truth.SnapshotIds) await _workspace.IngestAsync(snapshot);

        // Phones of the catalogue (schemas/devices/catalogue.json) in different tiers and years; the logs are the
        // benchmark_model outputs of tests/fixtures/benchmark-logs.
        await ImportAsync("tflite-gpu-percentiles.log", "SM-G991B", MostReused);
        await ImportAsync("tflite-logcat-nnapi.log", "SM-G973F", MostReused);
        await ImportAsync("tflite-average-older.log", "SM-A505F", MostReused);
        await ImportAsync("tflite-gpu-partial-older-memory.log", "SM-A105F", MostReused);
        await ImportAsync("tflite-no-stats-oldest.log", "SM-G991B", Other);

        // The trace draws 2000 mW over 1.5–3.5 s and 800 mW idle over 0–1 s (benchmark-logs/README.md): over the
        // timed window 1.5–3.5 s, (2000 − 800) mW × 2 s = 2400 mJ, shared by the run's timed inferences.
        var traced = Runs[0];
        var power = new PowerTraceWindows(traced.RunId, new TraceWindow(1.5, 3.5), new TraceWindow(0.1, 0.9));
        await new ImportResults(_workspace.Gauge).RunAsync(
            new ImportRequest(ImportKind.PowerTrace, Log("monsoon-main-usb.csv"), traced.Device, Power: power), CancellationToken.None);
        Energy = (traced, 2400.0 / traced.Figures.TimedRuns!.Value);

        (_host, Http) = await _workspace.StartHostAsync();
    }

    private static string Log(string name) => RepositoryRoot.Fixture(Path.Combine("benchmark-logs", name));

    private async Task ImportAsync(string log, string device, string model)
    {
        var report = await new ImportResults(_workspace.Gauge).RunAsync(
            new ImportRequest(ImportKind.BenchmarkLog, Log(log), device, model), CancellationToken.None);
        Runs.Add(new Run(log, device, model, TfliteBenchmarkLog.Parse(await File.ReadAllTextAsync(Log(log))), report.RunIds.Single()));
    }

    /// <summary>Tier and release year of each device, as the host classified them (the groups of the cost charts).</summary>
    public async Task<Dictionary<string, (string Tier, int? Year)>> DevicesAsync()
    {
        var devices = (await QueryAsync("{ devices { id tier year } }"))["devices"]!.AsArray();
        return devices.ToDictionary(d => (string)d!["id"]!, d => ((string)d!["tier"]!, (int?)d["year"]));
    }

    /// <summary>One query straight to the host's /graphql, for charts whose only truth is the API's answer.</summary>
    public async Task<JsonNode> QueryAsync(string query, object? variables = null)
    {
        var response = await Http.PostAsJsonAsync("/graphql", new { query, variables });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode && body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        await _workspace.DisposeAsync();
    }
}
