using GaugeNN.Events;
using GaugeNN.Formats;
using GaugeNN.Ingest;
using GaugeNN.Warehouse;
using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Cli.Commands;

public sealed class ReanalyseCommand : ICommand
{
    public string Name => "reanalyse";
    public string Usage => "reanalyse";
    public string Summary => $"dissect every stored model whose latest dissection is older than analyser v{ModelDissector.AnalyserVersion} (no APK is re-read)";

    public async Task<int> RunAsync(Arguments args, CancellationToken ct)
    {
        args.RejectUnknown();
        var home = Services.Home();
        using var store = Services.EventStore(home);
        Console.WriteLine(await AnalyseAsync(home, store, ct));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Dissects from the content-addressed blob store (<c>GAUGENN_HOME/models</c>) that ingest fills, so a newer
    /// analyser never needs the APKs again.
    /// </summary>
    public static async Task<string> AnalyseAsync(GaugeHome home, IDocumentStore store, CancellationToken ct)
    {
        var log = new EventLog(store);
        var blobs = new ModelBlobStore(home.ModelBlobs);
        var time = TimeProvider.System;
        int dissected = 0, failed = 0;
        foreach (var model in await log.ModelsToAnalyseAsync(ModelDissector.AnalyserVersion, ct))
        {
            object outcome = blobs.Contains(model.Id)
                ? ModelDissector.Dissect(blobs.Get(model.Id), model.Format, time)
                : new ModelDissectionFailed(model.Id, ModelDissector.AnalyserVersion, model.Format,
                    $"model bytes are not in the blob store {home.ModelBlobs}", false, time.GetUtcNow());
            if (outcome is ModelDissectionFailed) failed++;
            else dissected++;
            await log.RecordAnalysisAsync(model, outcome, ModelDissector.AnalyserVersion, ct);
        }
        return $"analyser v{ModelDissector.AnalyserVersion}: {dissected} models dissected, {failed} failed";
    }
}
