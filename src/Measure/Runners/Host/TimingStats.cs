namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// Summary of timed runs in milliseconds. Std is the population standard deviation (as benchmark_model prints it);
/// percentiles are nearest rank: the p-th percentile of N sorted samples is the sample of rank ⌈p/100 · N⌉ (1-based,
/// at least 1), so every percentile is a time that was actually measured.
/// </summary>
public sealed record TimingStats(int Count, double MeanMs, double StdMs, double MinMs, double MaxMs, double P50Ms, double P90Ms, double P99Ms)
{
    public static TimingStats Of(IReadOnlyList<double> samplesMs)
    {
        if (samplesMs.Count == 0) throw new ArgumentException("no samples", nameof(samplesMs));
        var sorted = samplesMs.Order().ToArray();
        double mean = sorted.Average();
        double variance = sorted.Sum(x => (x - mean) * (x - mean)) / sorted.Length;
        return new TimingStats(sorted.Length, mean, Math.Sqrt(variance), sorted[0], sorted[^1],
            NearestRank(sorted, 50), NearestRank(sorted, 90), NearestRank(sorted, 99));
    }

    public static double NearestRank(IReadOnlyList<double> sorted, double percentile)
    {
        int rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
