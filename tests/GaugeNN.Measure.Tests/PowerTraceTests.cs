using GaugeNN.Events;
using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Tests;

/// <summary>
/// The fixture traces draw 800 mW idle (200 mA × 4.0 V, 0–1 s and 4–5 s), ramp linearly to 2000 mW over 1.0–1.5 s,
/// hold 2000 mW over 1.5–3.5 s and ramp back over 3.5–4.0 s, so every integral has a closed form.
/// </summary>
public class PowerTraceTests
{
    private static readonly DateTimeOffset At = new(2024, 3, 18, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void monsoon_main_current_and_voltage_are_chosen_over_usb_and_converted_to_milliwatts()
    {
        var trace = PowerTraceCsv.Parse(Logs.Read("monsoon-main-usb.csv"));
        Assert.Equal(5001, trace.Samples);
        Assert.Equal(1000.0, trace.SampleHz, 6);
        Assert.Equal("Time(ms), Main(mA) × Main Voltage(V)", trace.Columns);
        Assert.Equal(800.0, trace.PowerMw[0], 9);
        Assert.Equal(2000.0, trace.PowerMw[2000], 9);
        Assert.Null(trace.AbsoluteStart);
    }

    [Fact]
    public void energy_is_the_timed_window_minus_idle_power_per_inference()
    {
        var trace = PowerTraceCsv.Parse(Logs.Read("monsoon-main-usb.csv"));
        var energy = EnergyIntegrator.Measure(trace, new TraceWindow(1.5, 3.5), new TraceWindow(0.1, 0.9), 100, "run-7", "monsoon-main-usb.csv", "ab", At);
        Assert.Equal(2000.0, energy.AvgPowerMw, 6);
        Assert.Equal(800.0, energy.IdlePowerMw, 6);
        Assert.Equal((2000.0 - 800.0) * 2.0 / 100, energy.EnergyMjPerInference, 6); // 24 mJ
        Assert.Equal(2001, energy.Samples);
        Assert.Equal(1000.0, energy.SampleHz, 6);
        Assert.Equal("run-7", energy.RunId);
        Assert.Equal(EnergyIntegrator.Method, energy.Method);
        Assert.Equal((1.5, 3.5, 0.1, 0.9), (energy.WindowStartS, energy.WindowEndS, energy.IdleStartS, energy.IdleEndS));
    }

    [Fact]
    public void window_edges_between_samples_are_interpolated_on_a_ramp()
    {
        // 1 Hz samples of the ramp make every window edge fall between samples.
        var csv = "Time (s),Main Avg Power (mW)\n0,800\n1,800\n2,2000\n3,2000\n4,800\n5,800\n";
        var trace = PowerTraceCsv.Parse(csv);
        // ∫ over [1.25, 2.5]: ramp 1.25→2 (P from 1100 to 2000) = 0.75 × 1550, then 0.5 × 2000.
        var (energy, samples) = EnergyIntegrator.Integrate(trace, new TraceWindow(1.25, 2.5), "timed");
        Assert.Equal(0.75 * 1550 + 0.5 * 2000, energy, 9);
        Assert.Equal(1, samples);
    }

    [Fact]
    public void a_power_column_in_seconds_gives_the_same_energy_as_current_times_voltage()
    {
        var byPower = PowerTraceCsv.Parse(Logs.Read("power-mw-seconds.csv"));
        var byCurrent = PowerTraceCsv.Parse(Logs.Read("monsoon-main-usb.csv"));
        var window = new TraceWindow(1.2345, 3.9876);
        var idle = new TraceWindow(4.1, 4.9);
        var a = EnergyIntegrator.Measure(byPower, window, idle, 50, "r", null, null, At);
        var b = EnergyIntegrator.Measure(byCurrent, window, idle, 50, "r", null, null, At);
        Assert.Equal(a.EnergyMjPerInference, b.EnergyMjPerInference, 6);
    }

    [Fact]
    public void a_measurements_timed_start_and_end_select_the_window_of_an_absolute_trace()
    {
        var trace = PowerTraceCsv.Parse(Logs.Read("power-absolute.csv"));
        Assert.Equal(new DateTimeOffset(2024, 3, 18, 9, 0, 0, TimeSpan.Zero), trace.AbsoluteStart);
        var start = trace.AbsoluteStart!.Value;
        var m = Measurement(start.AddSeconds(1.5), start.AddSeconds(3.5));
        var window = EnergyIntegrator.TimedWindow(trace, m);
        Assert.Equal(1.5, window.StartS, 9);
        Assert.Equal(3.5, window.EndS, 9);
        var idle = EnergyIntegrator.Window(trace, start.AddSeconds(0.2), start.AddSeconds(0.8));
        var energy = EnergyIntegrator.Measure(trace, window, idle, m.TimedRuns!.Value, m.RunId, "power-absolute.csv", null, At);
        Assert.Equal(1200.0 * 2 / 40, energy.EnergyMjPerInference, 6);
        Assert.Equal(100.0, energy.SampleHz, 6);
    }

    [Fact]
    public void a_relative_trace_needs_the_absolute_time_of_its_zero()
    {
        var trace = PowerTraceCsv.Parse(Logs.Read("power-mw-seconds.csv"));
        var zero = new DateTimeOffset(2024, 3, 18, 9, 0, 0, TimeSpan.Zero);
        var m = Measurement(zero.AddSeconds(1.5), zero.AddSeconds(3.5));
        Assert.Throws<ArgumentException>(() => EnergyIntegrator.TimedWindow(trace, m));
        var window = EnergyIntegrator.TimedWindow(trace, m, traceStart: zero);
        Assert.Equal(1.5, window.StartS, 9);
    }

    [Fact]
    public void current_without_voltage_uses_the_supply_voltage_given()
    {
        var csv = "Time(us),Main(mA)\n0,100\n1000,100\n2000,300\n3000,300\n";
        Logs.Refused(() => PowerTraceCsv.Parse(csv), 1, "give the supply voltage");
        var trace = PowerTraceCsv.Parse(csv, new PowerTraceOptions { SupplyVoltageV = 3.85m });
        Assert.Equal(385.0, trace.PowerMw[0], 9);
        Assert.Equal(0.003, trace.TimesS[^1], 12);
    }

    [Theory]
    [InlineData("Time,Main(mA),Main Voltage(V)\n0,1,4\n", "has no unit")]
    [InlineData("Time(ms),USB(mA),Aux(mA),Voltage(V)\n0,1,1,4\n", "ambiguous current columns")]
    [InlineData("Time(ms),Temp(C)\n0,1\n", "no power column and no current column")]
    [InlineData("Time(ms),Main(furlongs)\n0,1\n", "unknown unit 'furlongs'")]
    [InlineData("Time(ms),Main(kA),Main Voltage(V)\n0,1,4\n", "unknown unit 'kA'")]
    public void an_ambiguous_or_unitless_header_is_refused_on_line_one(string csv, string problem) =>
        Logs.Refused(() => PowerTraceCsv.Parse(csv), 1, problem);

    [Fact]
    public void naming_a_column_resolves_an_ambiguity()
    {
        var trace = PowerTraceCsv.Parse("Time(ms),USB(mA),Aux(mA),Voltage(V)\n0,1,2,4\n1,1,2,4\n", new PowerTraceOptions { CurrentColumn = "Aux(mA)" });
        Assert.Equal(8.0, trace.PowerMw[0], 9);
    }

    [Theory]
    [InlineData(3, "0.2,,4.000", "is missing")]
    [InlineData(3, "0.2,abc,4.000", "is not a number")]
    [InlineData(3, "0.2,200.0000", "cells under a header")]
    [InlineData(3, "0.0,200.0000,4.000", "does not increase")]
    public void a_broken_row_is_refused_on_its_line(int line, string row, string problem)
    {
        var csv = "Time(ms),Main(mA),Main Voltage(V)\n0.0,200.0000,4.000\n" + row + "\n0.3,200,4\n";
        Logs.Refused(() => PowerTraceCsv.Parse(csv), line, problem);
    }

    [Fact]
    public void windows_outside_the_trace_overlapping_or_drawing_less_than_idle_are_refused()
    {
        var trace = PowerTraceCsv.Parse(Logs.Read("power-mw-seconds.csv"));
        var idle = new TraceWindow(0.1, 0.9);
        var e = Assert.Throws<BenchmarkLogException>(() => EnergyIntegrator.Measure(trace, new TraceWindow(4.5, 5.5), idle, 1, "r", null, null, At));
        Assert.Contains("after the last sample", e.Problem);
        Assert.Equal(5002, e.Line);
        e = Assert.Throws<BenchmarkLogException>(() => EnergyIntegrator.Measure(trace, new TraceWindow(0.5, 2.0), idle, 1, "r", null, null, At));
        Assert.Contains("overlaps", e.Problem);
        e = Assert.Throws<BenchmarkLogException>(() => EnergyIntegrator.Measure(trace, new TraceWindow(4.2, 4.8), new TraceWindow(1.6, 3.4), 1, "r", null, null, At));
        Assert.Contains("no more than idle", e.Problem);
    }

    [Fact]
    public void a_gap_in_the_samples_inside_a_window_is_refused()
    {
        var lines = Logs.Read("power-mw-seconds.csv").Split('\n').ToList();
        lines.RemoveRange(2001, 100); // 2.000 s – 2.099 s missing
        var trace = PowerTraceCsv.Parse(string.Join('\n', lines));
        var e = Assert.Throws<BenchmarkLogException>(() => EnergyIntegrator.Measure(trace, new TraceWindow(1.5, 3.5), new TraceWindow(0.1, 0.9), 1, "r", null, null, At));
        Assert.Contains("gap", e.Problem);
        Assert.Equal(2002, e.Line);
    }

    private static MeasurementRecorded Measurement(DateTimeOffset start, DateTimeOffset end) => new(
        "run-9", null, "sha", "pixel-7", "tflite", null, "cpu", null, null, 4, 1, 40, null, null, null, 10, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, start, end, "benchmark_model", null,
        "measured", null, null, new Dictionary<string, string>(), start);
}
