using GaugeNN.Events;
using GaugeNN.Measure.Runners.Host;
using GaugeNN.Tests.Shared;

namespace GaugeNN.Measure.Tests;

public class HostRunnerTests
{
    private static readonly HostRunner Runner = new(TimeProvider.System);

    private static string Model(string name) => Path.Combine(RepositoryRoot.Fixture("models"), "onnx", name);

    private static BenchmarkConfig Config(int warmup = 2, int timed = 5, IReadOnlyDictionary<string, string>? options = null) =>
        HostOptions.Config(warmup, timed, threads: 1, options);

    [Fact]
    public void a_real_model_is_measured_with_every_figure_of_the_contract()
    {
        // The classifier declares x as [?, 3, ?, ?]; its real input is a 48×192 text line.
        var config = Config(3, 20, new Dictionary<string, string> { ["shape.x"] = "1,3,48,192" });
        var outcome = Runner.Run(HostModel.FromFile("run-cls", "491843a3", Model("ch_ppocr_mobile_v2.0_cls_infer.onnx")), config, planId: "plan-1");
        var m = Assert.IsType<MeasurementRecorded>(outcome.Event);
        Assert.Null(outcome.Failure);
        Assert.Equal(("run-cls", "plan-1", "491843a3", "host"), (m.RunId, m.PlanId, m.ModelSha256, m.DeviceId));
        Assert.Equal(("onnxruntime", "1.31.1", "cpu"), (m.Runtime, m.RuntimeVersion, m.Backend));
        Assert.Equal((1, 3, 20), (m.Threads, m.WarmupRuns, m.TimedRuns));
        MeasurementShape.AssertWellFormed(m, HostRunner.Tool);
        Assert.Equal("1,3,48,192", m.Conditions["shape.x"]);
    }

    [Fact]
    public void every_sample_onnx_model_gives_a_measurement_or_a_failure_and_the_batch_goes_on()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Fixture("models"), "onnx"), "*.onnx").Order().ToList();
        var models = files.Select((f, i) => HostModel.FromFile($"run-{i}", Path.GetFileName(f), f))
            .Append(HostModel.FromBytes("run-garbage", "garbage", [1, 2, 3, 4, 5, 6, 7, 8])).ToList();
        var progress = new List<HostProgress>();
        var outcomes = Runner.RunAll(models, Config(1, 3), progress.Add);
        Assert.Equal(models.Count, outcomes.Count);
        Assert.Equal(Enumerable.Range(1, models.Count), progress.Select(p => p.Done));
        Assert.All(progress, p => Assert.Equal(models.Count, p.Total));
        Assert.All(outcomes, o => Assert.True((o.Measurement is null) != (o.Failure is null)));
        foreach (var name in new[] { "ch_ppocr_mobile_v2.0_cls_infer.onnx", "onnx_testdata_test_operator_conv.onnx", "onnx_testdata_test_dequantizelinear.onnx", "onnx_testdata_test_qlinearconv.onnx", "onnx_testdata_test_qlinearmatmul_2D.onnx" })
            Assert.NotNull(outcomes[files.FindIndex(f => f.EndsWith(name, StringComparison.Ordinal))].Measurement);
        var garbage = outcomes[^1].Failure;
        Assert.NotNull(garbage);
        Assert.Equal(("run-garbage", "garbage", "host", "onnxruntime", 1), (garbage.RunId, garbage.ModelSha256, garbage.DeviceId, garbage.Runtime, garbage.Attempt));
        Assert.Contains("protobuf", garbage.Reason, StringComparison.OrdinalIgnoreCase); // ORT's own message
        Assert.False(progress[^1].Succeeded);
    }

    [Fact]
    public void silero_vad_runs_with_its_sample_rate_given_as_a_fill_option()
    {
        var outcome = Runner.Run(HostModel.FromFile("run-vad", "2623a295", Model("silero_vad_v5.onnx")), Config(options: new Dictionary<string, string> { ["fill.sr"] = "16000", ["shape.input"] = "1,512" }));
        var m = Assert.IsType<MeasurementRecorded>(outcome.Event);
        Assert.Equal("16000", m.Conditions["fill.sr"]);
        Assert.Equal("1,512", m.Conditions["shape.input"]);
    }

    // TensorProto.DataType: 1 float … 13 uint64, 16 bfloat16.
    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)]
    [InlineData(8)] [InlineData(9)] [InlineData(10)] [InlineData(11)] [InlineData(12)] [InlineData(13)] [InlineData(16)]
    public void an_input_of_every_element_type_ort_supports_is_synthesised(int elementType)
    {
        var outcome = Runner.Run(HostModel.FromBytes("r", $"identity-{elementType}", OnnxModels.Identity(elementType, 2, 3)), Config());
        Assert.True(outcome.Measurement is not null, outcome.Failure?.Reason);
        Assert.Equal("2,3", outcome.Measurement.Conditions["shape.x"]);
    }

    // 14/15 complex, 17–20 float8, 21/22 uint4/int4: ORT 1.31's C# API cannot create float8 or int4 tensors and its
    // CPU Identity has no kernel for complex or int4, so each ends as a failure with ORT's message.
    [Theory]
    [InlineData(14)] [InlineData(15)] [InlineData(17)] [InlineData(18)] [InlineData(19)] [InlineData(20)] [InlineData(21)] [InlineData(22)]
    public void an_input_type_ort_cannot_run_is_a_failure_with_its_message(int elementType)
    {
        var outcome = Runner.Run(HostModel.FromBytes("r", "complex", OnnxModels.Identity(elementType, 2)), Config());
        // Whatever ORT decides for complex tensors, the outcome is one of the two and never an exception.
        Assert.True((outcome.Measurement is null) != (outcome.Failure is null));
        if (outcome.Failure is { } f) Assert.False(string.IsNullOrWhiteSpace(f.Reason));
    }

    [Fact]
    public void symbolic_dims_take_the_documented_defaults_and_options_override_them()
    {
        var bytes = OnnxModels.Identity(1, "batch_size", "sequence_length", "hidden", "");
        var defaults = Runner.Run(HostModel.FromBytes("r", "sym", bytes), Config()).Measurement!;
        Assert.Equal("1,128,1,1", defaults.Conditions["shape.x"]);
        var bySymbol = Runner.Run(HostModel.FromBytes("r", "sym", bytes), Config(options: new Dictionary<string, string> { ["dim.sequence_length"] = "64", ["dim.hidden"] = "32" })).Measurement!;
        Assert.Equal("1,64,32,1", bySymbol.Conditions["shape.x"]);
        var byShape = Runner.Run(HostModel.FromBytes("r", "sym", bytes), Config(options: new Dictionary<string, string> { ["shape.x"] = "2,16,8,4" })).Measurement!;
        Assert.Equal("2,16,8,4", byShape.Conditions["shape.x"]);
    }

    [Fact]
    public void an_unnamed_first_dim_is_a_batch_of_one()
    {
        Assert.Equal(1, InputSynthesis.Default("", 0));
        Assert.Equal(128, InputSynthesis.Default("seq", 1));
        Assert.Equal(128, InputSynthesis.Default("num_tokens", 2));
        Assert.Equal(1, InputSynthesis.Default("N", 0));
        Assert.Equal(1, InputSynthesis.Default("height", 2));
    }

    [Fact]
    public void a_bad_shape_option_fails_that_model_only()
    {
        var outcome = Runner.Run(HostModel.FromBytes("r", "sym", OnnxModels.Identity(1, "n", 3)), Config(options: new Dictionary<string, string> { ["shape.x"] = "1,3,3" }));
        Assert.NotNull(outcome.Failure);
        Assert.Contains("rank 3", outcome.Failure.Reason);
    }

    [Fact]
    public void threads_execution_mode_and_optimisation_level_are_applied_and_unknown_options_refused()
    {
        var options = new Dictionary<string, string> { ["executionMode"] = "parallel", ["graphOptimization"] = "disabled", ["interOpThreads"] = "2" };
        var m = Runner.Run(HostModel.FromFile("r", "conv", Model("onnx_testdata_test_operator_conv.onnx")), HostOptions.Config(1, 3, 2, options)).Measurement!;
        Assert.Equal(("parallel", "disabled", "2", 2), (m.Conditions["executionMode"], m.Conditions["graphOptimization"], m.Conditions["interOpThreads"], m.Threads));
        Assert.Throws<ArgumentException>(() => HostOptions.Validate(HostOptions.Config(options: new Dictionary<string, string> { ["graphOptimisation"] = "all" })));
        Assert.Throws<ArgumentException>(() => HostOptions.Validate(HostOptions.Config(options: new Dictionary<string, string> { ["executionMode"] = "eager" })));
        Assert.Throws<ArgumentException>(() => HostOptions.Validate(HostOptions.Config(timedRuns: 0)));
        Assert.Throws<ArgumentException>(() => HostOptions.Validate(new BenchmarkConfig("tflite", "cpu", 1, 1, 1, new Dictionary<string, string>())));
    }

    [Fact]
    public void cancellation_stops_a_batch_and_is_not_a_failure()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            Runner.RunAll([HostModel.FromFile("r", "conv", Model("onnx_testdata_test_operator_conv.onnx"))], Config(), cancellation: cts.Token));
    }

    [Fact]
    public void the_ort_version_is_the_package_version()
    {
        Assert.Equal("1.31.1", HostRunner.OrtVersion);
    }
}

public class TimingStatsTests
{
    [Fact]
    public void percentiles_are_nearest_rank_and_std_is_the_population_deviation()
    {
        var samples = Enumerable.Range(1, 10).Select(i => (double)i).Reverse().ToList();
        var s = TimingStats.Of(samples);
        Assert.Equal((10, 5.5, 1.0, 10.0), (s.Count, s.MeanMs, s.MinMs, s.MaxMs));
        Assert.Equal(5.0, s.P50Ms);  // rank ⌈0.5·10⌉ = 5
        Assert.Equal(9.0, s.P90Ms);  // rank 9
        Assert.Equal(10.0, s.P99Ms); // rank ⌈9.9⌉ = 10
        Assert.Equal(Math.Sqrt(8.25), s.StdMs, 12);
        Assert.Equal(7.0, TimingStats.Of([7.0]).P99Ms);
        Assert.Equal(0.0, TimingStats.Of([7.0]).StdMs);
    }
}
