using GaugeNN.Application;
using GaugeNN.Application.Hosting;
using GaugeNN.Application.UseCases;
using GaugeNN.Warehouse.Read;

namespace GaugeNN.Cli.Commands;

public sealed class DemoCommand : ICommand
{
    public string Name => "demo";
    public string Usage => "demo [--port N] [--no-serve]";
    public string Summary => "ingest the bundled sample snapshots, project them, print a summary and serve the API";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("port", "no-serve");
        bool serve = !args.Flag("no-serve");
        int port = args.IntOption("port", ServeCommand.DefaultPort);
        string samples = SamplesDirectory();
        var home = Services.Home();
        Console.WriteLine($"data folder: {home.Root}");
        using var gauge = Services.Open(home);
        WarehouseHost? host = null;
        try
        {
            // The host starts first, so that a busy port is said before any work, and follows the ingests live.
            if (serve) host = await StartHostAsync(gauge, port, ct);
            foreach (var snapshot in Directory.EnumerateDirectories(samples).Order(StringComparer.Ordinal))
                Console.WriteLine(IngestCommand.Describe(await new IngestSnapshot(gauge).RunAsync(
                    new IngestRequest(Path.GetFileName(snapshot), snapshot), null, ct)));
            if (host is null)
            {
                Console.WriteLine(ProjectCommand.Describe(home.DuckDbFile, await new CatchUpWarehouse(gauge).RunAsync(false, Console.Error.WriteLine, ct)));
                using var readers = new ReaderPool(home.DuckDbFile);
                using var lease = readers.Rent();
                PrintSummary(new WarehouseReader(lease).Snapshots());
                return ExitCodes.Ok;
            }
            await host.CaughtUpAsync(ct);
            Console.WriteLine($"warehouse {home.DuckDbFile}: caught up by the host, checkpoint {host.Projection.State.Checkpoint}");
            using (var lease = host.Readers.Rent())
                PrintSummary(new WarehouseReader(lease).Snapshots());
            await ServeCommand.ServeUntilStoppedAsync(host, ct);
            return ExitCodes.Ok;
        }
        finally
        {
            if (host is not null) await host.DisposeAsync();
        }
    }

    private static async Task<WarehouseHost> StartHostAsync(Gauge gauge, int port, CancellationToken ct)
    {
        try
        {
            return await WarehouseHost.StartAsync(gauge, new WarehouseHostOptions(port), ct);
        }
        catch (PortUnavailableException e)
        {
            throw new EnvironmentException(e.Message);
        }
    }

    /// <summary>The launcher says where the repository is; run directly, the working folder is tried.</summary>
    private static string SamplesDirectory()
    {
        string root = Environment.GetEnvironmentVariable("GAUGENN_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory();
        string samples = Path.Combine(root, "samples", "snapshots");
        return Directory.Exists(samples) ? samples : throw new UsageException($"sample snapshots not found at {samples}");
    }

    private static void PrintSummary(IReadOnlyList<SnapshotSummary> snapshots)
    {
        var formats = snapshots.SelectMany(s => s.Formats.Select(f => f.Name)).Distinct().Order().ToList();
        var header = new List<string> { "snapshot", "apps", "dl apps", "model files", "encrypted", "unique" };
        header.AddRange(formats);
        var rows = snapshots.Select(s =>
        {
            var row = new List<string> { s.Id, $"{s.Apps}", $"{s.DlApps}", $"{s.ModelFiles}", $"{s.EncryptedModelFiles}", $"{s.UniqueModels}" };
            row.AddRange(formats.Select(f => $"{s.Formats.FirstOrDefault(x => x.Name == f)?.ModelFiles ?? 0}"));
            return row;
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToList();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        Console.WriteLine();
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows) Console.WriteLine(Line(row));
        Console.WriteLine("(model files per format: the last columns; encrypted model files are counted apart)\n");
    }
}
