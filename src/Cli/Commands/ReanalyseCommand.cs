using GaugeNN.Application.UseCases;
using GaugeNN.Formats;

namespace GaugeNN.Cli.Commands;

public sealed class ReanalyseCommand : ICommand
{
    public string Name => "reanalyse";
    public string Usage => "reanalyse";
    public string Summary => $"dissect every stored model whose latest dissection is older than analyser v{ModelDissector.AnalyserVersion} (no APK is re-read)";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown();
        using var gauge = Services.Open(Services.Home());
        Console.WriteLine(Describe(await new ReanalyseModels(gauge).RunAsync(null, ct)));
        return ExitCodes.Ok;
    }

    public static string Describe(AnalysisReport r) =>
        $"analyser v{r.AnalyserVersion}: {r.Dissected} models dissected, {r.Failed} failed" +
        (r.LeftToOthers > 0 ? $", {r.LeftToOthers} recorded meanwhile by another process" : "");
}
