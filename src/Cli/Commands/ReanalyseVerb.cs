using System.CommandLine;
using GaugeNN.Application.UseCases;
using GaugeNN.Cli.Running;
using GaugeNN.Formats;

namespace GaugeNN.Cli.Commands;

/// <summary><c>gaugenn reanalyse</c>: stored models dissected again by a newer analyser, from the blob store.</summary>
public static class ReanalyseVerb
{
    public static Command Build() => Verb.Create("reanalyse",
        $"Dissect every stored model whose latest dissection is older than analyser v{ModelDissector.AnalyserVersion} (from the model blobs; no APK is re-read).",
        [],
        async run =>
        {
            using var gauge = Services.Open(Services.Home());
            var display = run.Progress;
            var report = await run.StoppableAsync(() => display.RunAsync(() => new ReanalyseModels(gauge).RunAsync(display, run.Stop)),
                () => Task.FromResult($"{display.Done("dissect")} models were dissected and recorded, each as it finished; run `gaugenn reanalyse` again for the rest"));
            run.Report(report, to => to.WriteLine(Describe(report)));
            return ExitCodes.Ok;
        });

    public static string Describe(AnalysisReport r) =>
        $"analyser v{r.AnalyserVersion}: {r.Dissected} models dissected, {r.Failed} failed" +
        (r.LeftToOthers > 0 ? $", {r.LeftToOthers} recorded meanwhile by another process" : "");
}
