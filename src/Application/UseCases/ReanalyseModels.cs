using GaugeNN.Events;
using GaugeNN.Formats;
using GaugeNN.Warehouse.EventStore;

namespace GaugeNN.Application.UseCases;

public sealed record AnalysisReport(int AnalyserVersion, int Dissected, int Failed, int LeftToOthers);

/// <summary>
/// Dissects every stored model whose latest dissection is older than the analyser, from the content-addressed blob
/// store that ingest fills, so a newer analyser never needs the APKs again. Concurrent runs dissect each model once:
/// a model another run recorded first is left to it.
/// </summary>
public sealed class ReanalyseModels(Gauge gauge)
{
    public async Task<AnalysisReport> RunAsync(IProgress<Progress>? progress, CancellationToken ct)
    {
        var log = new EventLog(gauge.Store);
        int dissected = 0, failed = 0, others = 0, done = 0;
        var models = await log.ModelsToAnalyseAsync(ModelDissector.AnalyserVersion, ct);
        foreach (var model in models)
        {
            ct.ThrowIfCancellationRequested();
            var outcome = (IGaugeEvent)(gauge.Blobs.Contains(model.Id)
                ? ModelDissector.Dissect(gauge.Blobs.Get(model.Id), model.Format, gauge.Time)
                : new ModelDissectionFailed(model.Id, ModelDissector.AnalyserVersion, model.Format,
                    $"model bytes are not in the blob store {gauge.Blobs.Root}", false, gauge.Time.GetUtcNow()));
            if (!await log.RecordAnalysisAsync(model.Id, outcome, ModelDissector.AnalyserVersion, ct)) others++;
            else if (outcome is ModelDissectionFailed) failed++;
            else dissected++;
            progress?.Report(new Progress("dissect", ++done, models.Count, "models"));
        }
        return new AnalysisReport(ModelDissector.AnalyserVersion, dissected, failed, others);
    }
}
