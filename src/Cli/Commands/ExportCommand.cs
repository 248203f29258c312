using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Cli.Commands;

public sealed class ExportCommand : ICommand
{
    public string Name => "export";
    public string Usage => "export parquet|arrow OUT";
    public string Summary => "bring DuckDB up to date, then write every table as Parquet (zstd) or Arrow IPC, partitioned snapshot=ID/ where the table has a snapshot";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown();
        if (args.Positionals is not [var format and ("parquet" or "arrow"), var outDirectory])
            throw new UsageException("expected: export parquet OUT, or export arrow OUT");
        var home = Services.Home();
        using (var store = Services.EventStore(home))
            Console.WriteLine(await ProjectCommand.ProjectAsync(home, store, rebuild: false, ct));
        using var warehouse = DuckDbWarehouse.Open(home.DuckDbFile);
        var files = format == "parquet"
            ? await new ParquetExporter(warehouse).ExportAsync(outDirectory, ct)
            : await new ArrowExporter(warehouse).ExportAsync(outDirectory, ct);
        Console.WriteLine($"{files.Count} {format} files written under {Path.GetFullPath(outDirectory)}");
        return ExitCodes.Ok;
    }
}
