using System.CommandLine;
using GaugeNN.Application;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Cli.Commands;

/// <summary>What <c>project</c> reports: the warehouse file and the catch-up.</summary>
public sealed record ProjectReport(string Warehouse, CatchUpReport CatchUp);

/// <summary><c>gaugenn project</c>: the DuckDB warehouse brought up to the event store (through the host when one runs).</summary>
public static class ProjectVerb
{
    public static Command Build()
    {
        var rebuild = Options.Flag("--rebuild", "replay every event from the start into a new DuckDB file (a running host empties its own)");
        return Verb.Create("project", "Bring the DuckDB warehouse up to date with the event store (asks the running host to, when one serves).",
            [rebuild],
            async run =>
            {
                var home = Services.Home();
                using var gauge = Services.Open(home);
                var report = new ProjectReport(home.DuckDbFile, await CatchUpAsync(run, gauge, run.Get(rebuild)));
                run.Report(report, to => to.WriteLine(Describe(report)));
                return ExitCodes.Ok;
            });
    }

    /// <summary>Catches up with progress; stopped, it says that applied steps are kept.</summary>
    public static Task<CatchUpReport> CatchUpAsync(Invocation run, Gauge gauge, bool rebuild)
    {
        string stage = rebuild ? "rebuild" : "project";
        return run.StoppableAsync(() => run.Progress.RunAsync(async () =>
        {
            run.Progress.Report(new Progress(stage, 0, null, "events"));
            var report = await new CatchUpWarehouse(gauge).RunAsync(rebuild, run.Note, run.Stop);
            run.Progress.Report(new Progress(stage, report.EventsApplied, report.EventsApplied, "events"));
            return report;
        }), () => Task.FromResult("every projection step that finished is committed with its checkpoint; run `gaugenn project` again to go on from there"));
    }

    public static string Describe(ProjectReport r) =>
        $"warehouse {r.Warehouse}: {r.CatchUp.EventsApplied} events applied, checkpoint {r.CatchUp.Checkpoint} (event store head {r.CatchUp.StoreHead})";
}
