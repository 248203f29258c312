using GaugeNN.Warehouse;
using GaugeNN.Warehouse.Projections;
using Marten;

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
        using var store = Services.EventStore(home);
        Console.WriteLine(await ProjectAsync(home, store, args.Flag("rebuild"), ct));
        return ExitCodes.Ok;
    }

    public static async Task<string> ProjectAsync(GaugeHome home, IDocumentStore store, bool rebuild, CancellationToken ct)
    {
        using var warehouse = DuckDbWarehouse.Open(home.DuckDbFile);
        var projector = new Projector(store, warehouse, TimeProvider.System);
        var result = rebuild ? await projector.RebuildAsync(ct) : await projector.RunAsync(ct);
        return $"warehouse {home.DuckDbFile}: {result.EventsApplied} events applied, checkpoint {result.Checkpoint}";
    }
}
