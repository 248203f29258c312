using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Cli.Commands;

public sealed class ExportCommand : ICommand
{
    public string Name => "export";
    public string Usage => "export parquet OUT";
    public string Summary => "write every warehouse table as Parquet (zstd), partitioned snapshot=ID/ where the table has a snapshot";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown();
        if (args.Positionals is not ["parquet", var outDirectory])
            throw new UsageException("expected: export parquet OUT");
        var home = Services.Home();
        using (var store = Services.EventStore(home))
            Console.WriteLine(await ProjectCommand.ProjectAsync(home, store, rebuild: false, ct));
        using var warehouse = DuckDbWarehouse.Open(home.DuckDbFile);
        var files = await new ParquetExporter(warehouse).ExportAsync(outDirectory, ct);
        Console.WriteLine($"{files.Count} Parquet files written under {Path.GetFullPath(outDirectory)}");
        return ExitCodes.Ok;
    }
}
