using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using GaugeNN.Events;
using GaugeNN.Formats;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Cli.Running;

/// <summary>
/// <c>gaugenn --version</c>: the tool's version, the analyser version (a newer one re-dissects stored models), and the
/// event schema: how many event types the catalogue appends and reads, and a digest of their aliases (it changes
/// exactly when an event contract is added or superseded, so two installs with the same digest read and write the
/// same events), plus the lake (Parquet/Arrow layout) version.
/// </summary>
public sealed class VersionText : SynchronousCommandLineAction
{
    public static string Tool { get; } =
        typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    public static string CatalogueDigest { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
        EventCatalogue.All.Select(e => e.Alias).Concat(EventCatalogue.Superseded.Select(e => e.Alias)).Order(StringComparer.Ordinal)))))[..12];

    public static string Text =>
        $"gaugenn {Tool}\n" +
        $"analyser v{ModelDissector.AnalyserVersion}\n" +
        $"events: {EventCatalogue.All.Count} appendable types, {EventCatalogue.Superseded.Count} superseded (read through upcasters), catalogue digest {CatalogueDigest}\n" +
        $"lake v{WarehouseSchema.LakeVersion}";

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return ExitCodes.Ok;
    }
}
