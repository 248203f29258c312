using GaugeNN.Events;

namespace GaugeNN.Measure.Import;

/// <summary>A span of a power trace, in the trace's own seconds.</summary>
public sealed record TraceWindow(double StartS, double EndS);

/// <summary>
/// Energy of a run from a power trace. The energy of a window is the integral of power over it by the trapezoid rule
/// over the samples inside, with the power at each window edge linearly interpolated between the two samples around
/// it (so the window need not fall on samples, and a window between two samples still integrates correctly). Idle
/// power is the idle window's energy over its length (a time-weighted mean). The run's energy is the timed window's
/// energy minus idle power × the timed window's length, divided by the inferences in it. AvgPowerMw is the timed
/// window's own mean power (idle included), as a power monitor shows it.
/// </summary>
public static class EnergyIntegrator
{
    public const string Method = "trapezoid; edges interpolated; minus idle mean power";

    /// <summary>Largest gap between two samples inside a window, as a multiple of the trace's median interval.</summary>
    public const double MaxGapIntervals = 10;

    /// <summary>
    /// The trace window of a measurement's timed loop (<see cref="MeasurementRecorded.TimedStart"/> to
    /// <see cref="MeasurementRecorded.TimedEnd"/>), given the absolute time of the trace's time zero when the trace
    /// does not carry absolute time itself.
    /// </summary>
    public static TraceWindow TimedWindow(PowerTrace trace, MeasurementRecorded measurement, DateTimeOffset? traceStart = null)
    {
        if (measurement.TimedStart is not { } start || measurement.TimedEnd is not { } end)
            throw new ArgumentException($"run {measurement.RunId} has no recorded timed start and end; give the window explicitly");
        return Window(trace, start, end, traceStart);
    }

    /// <summary>Absolute start and end → trace seconds (the trace's own absolute time, else <paramref name="traceStart"/>).</summary>
    public static TraceWindow Window(PowerTrace trace, DateTimeOffset start, DateTimeOffset end, DateTimeOffset? traceStart = null)
    {
        var zero = trace.AbsoluteStart ?? traceStart
            ?? throw new ArgumentException("the trace has relative times only: give the absolute time of its time zero");
        return new TraceWindow((start - zero).TotalSeconds, (end - zero).TotalSeconds);
    }

    public static EnergyMeasured Measure(
        PowerTrace trace, TraceWindow timed, TraceWindow idle, int inferences, string runId, string? sourceFile,
        string? sourceSha256, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inferences, 1);
        if (timed.StartS < idle.EndS && idle.StartS < timed.EndS)
            throw Refuse(trace, 0, $"the idle window {Show(idle)} overlaps the timed window {Show(timed)}");
        var (energy, samples) = Integrate(trace, timed, "timed");
        var (idleEnergy, _) = Integrate(trace, idle, "idle");
        double timedS = timed.EndS - timed.StartS;
        double idleMw = idleEnergy / (idle.EndS - idle.StartS);
        double net = energy - idleMw * timedS;
        if (net <= 0)
            throw Refuse(trace, Index(trace, timed.StartS),
                $"the timed window {Show(timed)} draws {energy / timedS:0.###} mW, no more than idle ({idleMw:0.###} mW): no energy to attribute");
        return new EnergyMeasured(runId, net / inferences, energy / timedS, idleMw, samples, trace.SampleHz,
            timed.StartS, timed.EndS, idle.StartS, idle.EndS, Method, sourceFile, sourceSha256, at);
    }

    /// <summary>∫ power dt over the window in mJ (mW × s), and the number of samples inside it.</summary>
    internal static (double EnergyMj, int Samples) Integrate(PowerTrace trace, TraceWindow window, string name)
    {
        var t = trace.TimesS;
        var p = trace.PowerMw;
        if (!(window.EndS > window.StartS)) throw Refuse(trace, 0, $"the {name} window {Show(window)} is empty or reversed");
        if (window.StartS < t[0]) throw Refuse(trace, 0, $"the {name} window starts at {window.StartS:0.######} s, before the first sample ({t[0]:0.######} s)");
        if (window.EndS > t[^1]) throw Refuse(trace, t.Count - 1, $"the {name} window ends at {window.EndS:0.######} s, after the last sample ({t[^1]:0.######} s)");

        double maxGap = MaxGapIntervals * MedianInterval(t);
        int first = Index(trace, window.StartS);
        double energy = 0;
        int samples = 0;
        for (int i = first; i < t.Count - 1 && t[i] < window.EndS; i++)
        {
            double lo = Math.Max(window.StartS, t[i]), hi = Math.Min(window.EndS, t[i + 1]);
            if (t[i + 1] - t[i] > maxGap)
                throw Refuse(trace, i + 1, $"a gap of {t[i + 1] - t[i]:0.######} s between samples inside the {name} window (more than {MaxGapIntervals} median intervals)");
            if (hi > lo) energy += (At(t, p, i, lo) + At(t, p, i, hi)) / 2 * (hi - lo);
        }
        for (int i = first; i < t.Count && t[i] <= window.EndS; i++) if (t[i] >= window.StartS) samples++;
        // A window inside one sampling interval would be pure interpolation: no measured point of its own.
        if (samples < 1) throw Refuse(trace, first, $"the {name} window {Show(window)} holds no sample");
        return (energy, samples);
    }

    /// <summary>Power at time x on the segment [t_i, t_i+1], linearly interpolated.</summary>
    private static double At(IReadOnlyList<double> t, IReadOnlyList<double> p, int i, double x)
    {
        double span = t[i + 1] - t[i];
        double f = (x - t[i]) / span;
        return p[i] + (p[i + 1] - p[i]) * f;
    }

    /// <summary>Index of the last sample at or before x (0 when x is before the first).</summary>
    private static int Index(PowerTrace trace, double x)
    {
        var t = trace.TimesS;
        int lo = 0, hi = t.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (t[mid] <= x) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    private static double MedianInterval(IReadOnlyList<double> t)
    {
        var gaps = new double[t.Count - 1];
        for (int i = 0; i < gaps.Length; i++) gaps[i] = t[i + 1] - t[i];
        Array.Sort(gaps);
        return gaps[gaps.Length / 2];
    }

    private static string Show(TraceWindow w) => $"[{w.StartS:0.######} s, {w.EndS:0.######} s]";

    private static BenchmarkLogException Refuse(PowerTrace trace, int sample, string problem) =>
        new(PowerTraceCsv.Format, trace.Lines[Math.Clamp(sample, 0, trace.Lines.Count - 1)], problem);
}
