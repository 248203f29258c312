using GaugeNN.Events;

namespace GaugeNN.Measure.Tests;

/// <summary>What every measurement a host runner records must hold, whatever the runtime.</summary>
internal static class MeasurementShape
{
    public static void AssertWellFormed(MeasurementRecorded m, string tool)
    {
        Assert.True(m.InitMs > 0);
        Assert.True(m.FirstInferenceMs > 0);
        Assert.True(m.WarmupMeanMs > 0);
        Assert.True(m.MinMs > 0);
        Assert.True(m.MinMs <= m.P50Ms && m.P50Ms <= m.P90Ms && m.P90Ms <= m.P99Ms && m.P99Ms <= m.MaxMs);
        Assert.InRange(m.MeanMs!.Value, m.MinMs!.Value, m.MaxMs!.Value);
        Assert.True(m.StdMs >= 0);
        Assert.True(m.PeakMemoryMb > 10, $"peak {m.PeakMemoryMb} MB ({string.Join(", ", m.Conditions)})");
        Assert.True(m.TimedStart <= m.TimedEnd && m.TimedEnd <= DateTimeOffset.UtcNow);
        Assert.Equal(("measured", tool), (m.Provenance, m.Tool));
        Assert.Equal("nearest rank", m.Conditions["percentiles"]);
    }
}
