using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Tests;

public class BenchncnnLogTests
{
    [Fact]
    public void every_model_line_is_one_run_named_by_the_line_with_the_header_values()
    {
        var runs = BenchncnnLog.Parse(Logs.Read("benchncnn-cpu.txt"));
        Assert.Equal(33, runs.Count);
        var squeezenet = runs[0];
        Assert.Equal("squeezenet", squeezenet.GraphName);
        Assert.Equal("ncnn", squeezenet.Runtime);
        Assert.Equal("benchncnn", squeezenet.Tool);
        Assert.Equal("cpu", squeezenet.Backend);
        Assert.Equal(4, squeezenet.Threads);
        Assert.Equal(8, squeezenet.TimedRuns);
        Assert.Null(squeezenet.WarmupRuns); // benchncnn does not print its warm-up count
        Assert.Equal(11.22m, squeezenet.MinMs);
        Assert.Equal(11.61m, squeezenet.MaxMs);
        Assert.Equal(11.37m, squeezenet.MeanMs);
        Assert.Equal("2", squeezenet.Conditions["powersave"]);
        Assert.Equal("1", squeezenet.Conditions["cooling_down"]);
        Assert.Equal(7, squeezenet.Line);
        var vgg = runs.Single(r => r.GraphName == "vgg16");
        Assert.Equal(217.20m, vgg.MeanMs);
        Assert.Contains(runs, r => r.GraphName == "yolo-fastest-1.1");
    }

    [Fact]
    public void a_vulkan_run_names_the_gpu()
    {
        var runs = BenchncnnLog.Parse(Logs.Read("benchncnn-vulkan.txt"));
        Assert.Equal(5, runs.Count);
        Assert.All(runs, r => Assert.Equal("vulkan", r.Backend));
        Assert.Equal("Adreno (TM) 640", runs[0].Conditions["gpuName"]);
        Assert.Equal(9.12m, runs.Single(r => r.GraphName == "mobilenet_v2").MeanMs);
    }

    [Theory]
    [InlineData("avg =   13.94", "avg =   abc", "is not a number")]
    [InlineData("avg =   13.94", "avg =   13.94ms", "units changed")]
    [InlineData("max =   14.25  avg", "max =         avg", "max is missing")]
    [InlineData("min =   13.71  max =   14.25  avg =   13.94", "min =   14.71  max =   14.25  avg =   13.94", "out of order")]
    [InlineData("num_threads = 4", "num_threads = four", "is not a number")]
    public void a_broken_line_is_refused_on_its_line(string from, string to, string problem)
    {
        var text = Logs.Read("benchncnn-cpu.txt");
        int line = Logs.LineOf(text, from);
        Logs.Refused(() => BenchncnnLog.Parse(Logs.Replace(text, from, to)), line, problem);
    }

    [Fact]
    public void model_lines_without_their_header_are_refused()
    {
        var text = Logs.Read("benchncnn-cpu.txt");
        var broken = Logs.Replace(text, "num_threads = 4\n", "");
        Logs.Refused(() => BenchncnnLog.Parse(broken), Logs.LineOf(broken, "squeezenet  min"), "before the header value 'num_threads'");
    }

    [Fact]
    public void a_header_with_no_model_lines_is_truncated()
    {
        var text = string.Join('\n', Logs.Read("benchncnn-cpu.txt").Split('\n').Take(6));
        Logs.Refused(() => BenchncnnLog.Parse(text), 7, "no model line");
    }
}

public class MnnBenchmarkLogTests
{
    [Fact]
    public void every_result_line_is_one_run_with_the_forward_type_threads_loops_and_warmups()
    {
        var runs = MnnBenchmarkLog.Parse(Logs.Read("mnn-benchmark.txt"));
        Assert.Equal(7, runs.Count);
        var mobilenet = runs.Single(r => r.GraphName == "MobileNetV2_224.mnn");
        Assert.Equal("mnn", mobilenet.Runtime);
        Assert.Equal("cpu", mobilenet.Backend);
        Assert.Equal(4, mobilenet.Threads);
        Assert.Equal(20, mobilenet.TimedRuns);
        Assert.Equal(5, mobilenet.WarmupRuns);
        Assert.Equal(43.486m, mobilenet.MinMs);
        Assert.Equal(43.832m, mobilenet.MaxMs);
        Assert.Equal(43.598m, mobilenet.MeanMs);
        Assert.Equal("2", mobilenet.Conditions["precision"]);
        Assert.Equal("0", mobilenet.Conditions["sparsity"]);
    }

    [Fact]
    public void the_2019_format_with_units_glued_and_two_forward_types_is_read()
    {
        var runs = MnnBenchmarkLog.Parse(Logs.Read("mnn-benchmark-2019.txt"));
        Assert.Equal(5, runs.Count);
        Assert.Equal(["cpu", "cpu", "cpu", "vulkan", "vulkan"], runs.Select(r => r.Backend));
        Assert.Equal(445.868m, runs[0].MeanMs);
        Assert.Null(runs[0].Threads);
        Assert.Null(runs[0].WarmupRuns);
        Assert.Equal(10, runs[0].TimedRuns);
        Assert.Equal(18.926m, runs[4].MeanMs);
    }

    [Theory]
    [InlineData("avg =   43.598 ms", "avg =   43.598 us", "not in ms")]
    [InlineData("avg =   43.598 ms", "avg =   -- ms", "is not a number")]
    [InlineData("avg =   43.598 ms", "avg =   ms", "avg is missing")]
    [InlineData("min =   43.486 ms", "min =   44.486 ms", "out of order")]
    public void a_broken_result_line_is_refused_on_its_line(string from, string to, string problem)
    {
        var text = Logs.Read("mnn-benchmark.txt");
        int line = Logs.LineOf(text, "MobileNetV2_224.mnn");
        Logs.Refused(() => MnnBenchmarkLog.Parse(Logs.Replace(text, from, to)), line, problem);
    }

    [Fact]
    public void a_result_line_before_its_header_is_refused()
    {
        var text = Logs.Read("mnn-benchmark.txt");
        var broken = Logs.Replace(text, "--------> Benchmarking... loop = 20, warmup = 5\n", "");
        Logs.Refused(() => MnnBenchmarkLog.Parse(broken), Logs.LineOf(broken, "[ - ]"), "before its 'Forward type'");
    }
}

public class MlperfResultJsonTests
{
    [Fact]
    public void single_stream_results_give_mean_and_p90_latency_in_ms_exactly()
    {
        var file = MlperfResultJson.Parse(Logs.Read("mlperf-result-v4.json"));
        Assert.Equal(3, file.Runs.Count);
        var classification = file.Runs[0];
        Assert.Equal("mlperf-mobile", classification.Tool);
        Assert.Equal("4.0", classification.ToolVersion);
        Assert.Equal("snpe", classification.Runtime);
        Assert.Equal("npu", classification.Backend);
        Assert.Equal("mobilenet_v4_htp.dlc", classification.GraphName);
        Assert.Equal(0.681793m, classification.MeanMs);
        Assert.Equal(0.702646m, classification.P90Ms);
        Assert.Equal(88608, classification.TimedRuns);
        Assert.Equal(4, classification.Threads);
        Assert.Equal("1466.7124908425905", classification.Conditions["throughputPerS"]);
        Assert.Equal("true", classification.Conditions["resultValid"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 18, 9, 36, 2, TimeSpan.Zero).AddTicks(8719300), classification.TimedStart);
        Assert.Equal(classification.TimedStart!.Value.AddTicks(604120060), classification.TimedEnd);
        Assert.Equal(8, classification.Line); // the result object's opening brace

        var detection = file.Runs[1];
        Assert.Equal("tflite", detection.Runtime);
        Assert.Equal("gpu", detection.Backend);
        Assert.Equal(4.37916m, detection.MeanMs);
        Assert.Equal(4.51287m, detection.P90Ms);
        Assert.Equal("mobiledet.tflite", detection.GraphName);
    }

    [Fact]
    public void an_offline_result_keeps_its_throughput_but_no_per_inference_latency()
    {
        var offline = MlperfResultJson.Parse(Logs.Read("mlperf-result-v4.json")).Runs[2];
        Assert.Null(offline.MeanMs);
        Assert.Null(offline.P90Ms);
        Assert.Equal("Offline", offline.Conditions["loadgenScenario"]);
        Assert.Equal("3021.2249416213005", offline.Conditions["throughputPerS"]);
        Assert.Equal("8.134519", offline.Conditions["loadgenLatencyMeanS"]);
    }

    [Fact]
    public void the_environment_names_the_device_for_the_catalogue()
    {
        var device = MlperfResultJson.Parse(Logs.Read("mlperf-result-v4.json")).Device;
        Assert.NotNull(device);
        Assert.Equal("samsung", device.Manufacturer);
        Assert.Equal("SM-S901U", device.Model);
        Assert.Equal("SM8450", device.SocModel);
        var registered = Devices.DeviceCatalogue.Embedded.Classify("s22", device, DateTimeOffset.UnixEpoch);
        Assert.Equal("high", registered.Tier);
        Assert.Equal("Snapdragon 8 Gen 1", registered.Soc);
    }

    [Fact]
    public void the_older_loadgen_info_shape_gives_runs_without_latency_and_skips_results_without_a_performance_run()
    {
        var file = MlperfResultJson.Parse(Logs.Read("mlperf-result-v3.json"));
        var run = Assert.Single(file.Runs);
        Assert.Null(run.MeanMs);
        Assert.Equal(38475, run.TimedRuns);
        Assert.Equal("true", run.Conditions["resultValid"]);
        Assert.Equal("tflite", run.Runtime);
        Assert.Equal("ane", run.Backend);
        Assert.Equal(new DateTimeOffset(2023, 4, 7, 11, 54, 12, TimeSpan.Zero).AddTicks(5029610), run.TimedStart);
        Assert.Null(file.Device); // an iOS result
    }

    [Theory]
    [InlineData("\"latency_mean\": 0.000681793", "\"latency_mean\": \"0.000681793\"", "latency_mean", "is not a number")]
    [InlineData("\"latency90\": 0.000702646,", "", "loadgen", "'latency90' is missing")]
    [InlineData("\"framework\": \"QTI SNPE\",", "\"framework\": 7,", "framework", "expected a string")]
    [InlineData("\"loadgen_scenario\": \"SingleStream\",", "\"loadgen_scenario\": \"MultiStream\",", "loadgen_scenario", "unknown loadgen scenario")]
    [InlineData("\"start_datetime\": \"2024-03-18T09:36:02.871930Z\",", "\"start_datetime\": \"yesterday\",", "start_datetime", "not an ISO 8601")]
    public void a_field_of_the_wrong_type_or_missing_is_refused_on_its_line(string from, string to, string lineOf, string problem)
    {
        var text = Logs.Read("mlperf-result-v4.json");
        var broken = Logs.Replace(text, from, to);
        int line = lineOf == "loadgen" ? Logs.LineOf(broken, "\"loadgen\": {") : Logs.LineOf(broken, $"\"{lineOf}\"");
        Logs.Refused(() => MlperfResultJson.Parse(broken), line, problem);
    }

    [Fact]
    public void broken_json_is_refused_with_the_parser_line()
    {
        var text = Logs.Read("mlperf-result-v4.json");
        var broken = string.Join('\n', text.Split('\n').Take(40));
        var e = Assert.Throws<BenchmarkLogException>(() => MlperfResultJson.Parse(broken));
        Assert.InRange(e.Line, 38, 41);
    }
}
