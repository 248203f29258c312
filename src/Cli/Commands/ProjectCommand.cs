using GaugeNN.Application.UseCases;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Cli.Commands;

public sealed class ProjectCommand : ICommand
{
    public string Name => "project";
    public string Usage => "project [--rebuild]";
    public string Summary => "bring the DuckDB warehouse up to date with the event store (--rebuild: from zero)";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown("rebuild");
        var home = Services.Home();
        using var gauge = Services.Open(home);
        var report = await new CatchUpWarehouse(gauge).RunAsync(args.Flag("rebuild"), Console.Error.WriteLine, ct);
        Console.WriteLine(Describe(home.DuckDbFile, report));
        return ExitCodes.Ok;
    }

    public static string Describe(string file, CatchUpReport r) =>
        $"warehouse {file}: {r.EventsApplied} events applied, checkpoint {r.Checkpoint} (event store head {r.StoreHead})";
}
