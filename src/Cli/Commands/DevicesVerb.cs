using System.CommandLine;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Output;
using GaugeNN.Cli.Running;
using GaugeNN.Measure.Runners.Device;

namespace GaugeNN.Cli.Commands;

/// <summary>What <c>devices</c> reports.</summary>
public sealed record DevicesReport(IReadOnlyList<ListedDevice> Devices);

/// <summary>
/// <c>gaugenn devices</c>: every phone attached now (registered on the way), every registered device and the host,
/// read from the event store through a use case (not GraphQL): the event store is the system of record, needs no
/// running host, and a registration shows at once, before any projection.
/// </summary>
public static class DevicesVerb
{
    public static Command Build() => Verb.Create("devices",
        "List the devices measurements are taken on: every registered device, and this machine (host), with tier, release year, SoC, model and how they were found.",
        [],
        async run =>
        {
            using var gauge = Services.Open(Services.Home());
            // Attached phones are registered from their properties first, so they are listed with their catalogue facts.
            await Services.AttachedTargetsAsync(gauge, DeviceToolsFolder.FromEnvironment(), phonesWanted: false, run.Note, run.Stop);
            var report = new DevicesReport(await new ListDevices(gauge).RunAsync(run.Stop));
            run.Report(report, to =>
            {
                var table = new TextTable(("device", false), ("tier", false), ("year", true), ("soc / cpu", false), ("model", false),
                    ("registered", false), ("source", false));
                foreach (var (d, registered) in report.Devices)
                    table.Add(d.DeviceId, d.Tier + (d.Inferred ? " (inferred)" : ""), d.Year?.ToString() ?? "-", d.Soc ?? d.CpuModel ?? "-",
                        string.Join(' ', new[] { d.Manufacturer, d.Model }.Where(x => x is not null)) is { Length: > 0 } m ? m : "-",
                        registered ? "yes" : "no (described live)", d.Source);
                table.Write(to);
            });
            return ExitCodes.Ok;
        });
}
