using System.CommandLine;
using GaugeNN.Application;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Parsing;
using GaugeNN.Cli.Running;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Cli.Commands;

/// <summary>What <c>export</c> reports: the catch-up it did first, then the files.</summary>
public sealed record ExportVerbReport(string Warehouse, CatchUpReport CatchUp, ExportReport Export);

/// <summary><c>gaugenn export parquet|arrow OUT</c>: every derived table written as a lake, partitioned by snapshot.</summary>
public static class ExportVerb
{
    public static Command Build() => Verb.Group("export",
        "Bring DuckDB up to date, then write every table as files partitioned snapshot=ID/ where the table has a snapshot.",
        Format("parquet", LakeFormat.Parquet, "Parquet files (zstd): OUT/<table>/snapshot=<id>/part-0.parquet"),
        Format("arrow", LakeFormat.Arrow, "Arrow IPC files for bulk pulls: OUT/<table>/snapshot=<id>/part-0.arrow"));

    private static Command Format(string name, LakeFormat format, string description)
    {
        var outDirectory = Options.Output("OUT", "the folder to write the lake into (created when missing)");
        var incremental = Options.Flag("--incremental", "rewrite only partitions whose contents changed since the last export into OUT");
        return Verb.Create(name, description, [outDirectory, incremental], async run =>
        {
            var home = Services.Home();
            using var gauge = Services.Open(home);
            var (caughtUp, export) = await run.StoppableAsync(() => run.Progress.RunAsync(async () =>
            {
                run.Progress.Report(new Progress("export", 0, null, "files"));
                var done = await new ExportLake(gauge).RunAsync(run.Get(outDirectory), format, run.Get(incremental), run.Note, run.Stop);
                run.Progress.Report(new Progress("export", done.Export.Written, done.Export.Written, "files"));
                return done;
            }), () => Task.FromResult("every file under a final name in OUT is complete (each is written under a temporary name, then renamed); run the export again to finish"));
            var report = new ExportVerbReport(home.DuckDbFile, caughtUp, export);
            run.Report(report, to =>
            {
                to.WriteLine(ProjectVerb.Describe(new ProjectReport(report.Warehouse, caughtUp)));
                to.WriteLine($"{export.Written} {name} files written, {export.Unchanged} unchanged, {export.Removed} removed under {export.Directory} (checkpoint {export.Checkpoint})");
            });
            return ExitCodes.Ok;
        });
    }
}
