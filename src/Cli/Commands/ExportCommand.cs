using GaugeNN.Application.UseCases;
using GaugeNN.Warehouse.Export;

namespace GaugeNN.Cli.Commands;

public sealed class ExportCommand : ICommand
{
    public string Name => "export";
    public string Usage => "export parquet|arrow OUT [--incremental]";
    public string Summary => "bring DuckDB up to date, then write every table as Parquet (zstd) or Arrow IPC, partitioned snapshot=ID/ where the table has a snapshot";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("incremental");
        if (args.Positionals is not [var name and ("parquet" or "arrow"), var outDirectory])
            throw new UsageException("expected: export parquet OUT, or export arrow OUT");
        var format = name == "parquet" ? LakeFormat.Parquet : LakeFormat.Arrow;
        var home = Services.Home();
        using var gauge = Services.Open(home);
        var (caughtUp, export) = await new ExportLake(gauge).RunAsync(outDirectory, format, args.Flag("incremental"), Console.Error.WriteLine, ct);
        Console.WriteLine(ProjectCommand.Describe(home.DuckDbFile, caughtUp));
        Console.WriteLine($"{export.Written} {name} files written, {export.Unchanged} unchanged, {export.Removed} removed under {export.Directory} (checkpoint {export.Checkpoint})");
        return ExitCodes.Ok;
    }
}
