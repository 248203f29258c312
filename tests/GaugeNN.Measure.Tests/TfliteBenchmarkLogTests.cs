using GaugeNN.Measure.Import;

namespace GaugeNN.Measure.Tests;

public class TfliteBenchmarkLogTests
{
    private static ImportedRun Parse(string name) => TfliteBenchmarkLog.Parse(Logs.Read(name));

    [Fact]
    public void a_gpu_run_with_percentiles_keeps_every_printed_figure_to_the_digit()
    {
        var run = Parse("tflite-gpu-percentiles.log");
        Assert.Equal("tflite", run.Runtime);
        Assert.Equal("benchmark_model", run.Tool);
        Assert.Equal("gpu", run.Backend);
        Assert.Equal("full", run.Delegation);
        Assert.Equal(1, run.DelegateKernels);
        Assert.Equal("mobilenet_quant_v1_224.tflite", run.GraphName);
        Assert.Equal(5, run.WarmupRuns);
        Assert.Equal(50, run.TimedRuns);
        Assert.Equal(1361.236m, run.InitMs);
        Assert.Equal(125.113m, run.FirstInferenceMs);
        Assert.Equal(115.344m, run.WarmupMeanMs);
        Assert.Equal(115.246m, run.MeanMs);
        Assert.Equal(1.329m, run.StdMs);
        Assert.Equal(111.842m, run.MinMs);
        Assert.Equal(119.614m, run.MaxMs);
        Assert.Equal(112.107m, run.P5Ms);
        Assert.Equal(115.350m, run.P50Ms);
        Assert.Equal(116.620m, run.P95Ms);
        Assert.Null(run.P90Ms);
        Assert.Equal(19.2m, run.PeakMemoryMb);
        Assert.Equal("14.4414", run.Conditions["memoryInitMb"]);
        Assert.Equal("14.8164", run.Conditions["memoryOverallMb"]);
        Assert.Equal("25", run.Conditions["vmRssMb"]);
        Assert.Equal("18", run.Conditions["rssAnonMb"]);
        Assert.Equal("7", run.Conditions["rssFileShmemMb"]);
        Assert.Equal("4.2761", run.Conditions["modelFileMb"]);
        Assert.Empty(run.Operators);
    }

    [Fact]
    public void decimals_become_doubles_whose_text_is_the_printed_figure()
    {
        var ids = new ImportIds("run-1", new string('a', 64), "pixel-7", "tflite-gpu-percentiles.log", new string('b', 64), DateTimeOffset.UnixEpoch);
        var m = Parse("tflite-gpu-percentiles.log").ToMeasurement(ids);
        Assert.Equal("115.246", m.MeanMs!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1361.236", m.InitMs!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("imported", m.Provenance);
        Assert.Equal("tflite-gpu-percentiles.log", m.SourceFile);
        Assert.Equal("pixel-7", m.DeviceId);
        Assert.Equal("run-1", m.RunId);
        Assert.Null(m.EnergyMjPerInference);
    }

    [Fact]
    public void a_single_warmup_run_gives_its_one_time_as_first_min_max_and_mean()
    {
        var run = Parse("tflite-xnnpack-partial.log");
        Assert.Equal("xnnpack", run.Backend);
        Assert.Equal("partial", run.Delegation);
        Assert.Equal(1, run.DelegateKernels);
        Assert.Equal(4, run.Threads);
        Assert.Equal(1, run.WarmupRuns);
        Assert.Equal(633.430m, run.FirstInferenceMs);
        Assert.Equal(633.430m, run.WarmupMeanMs);
        Assert.Equal(602.943m, run.MeanMs);
        Assert.Equal(568.228m, run.MinMs);
        Assert.Equal(722.188m, run.MaxMs);
        Assert.Null(run.P50Ms);
        Assert.Null(run.PeakMemoryMb);
        Assert.Equal("ssd_mobilenet_v2_coco.tflite", run.GraphName);
        Assert.Equal("/data/local/tmp/ssd_mobilenet_v2_coco.tflite", run.GraphPath);
    }

    [Fact]
    public void the_older_average_summary_without_info_prefix_and_with_parameter_echoes_is_read()
    {
        var run = Parse("tflite-average-older.log");
        Assert.Equal("cpu", run.Backend);
        Assert.Null(run.Delegation);
        Assert.Equal(1, run.Threads);
        Assert.Equal(38.467m, run.InitMs);
        Assert.Equal(88.209m, run.FirstInferenceMs);
        Assert.Equal(83.235m, run.WarmupMeanMs);
        Assert.Equal(79.7609m, run.MeanMs);
        Assert.Equal(0.653m, run.StdMs);
        Assert.Equal("50", run.Conditions["param.Min num runs"]);
        Assert.Equal("mobilenet_quant_v1_224.tflite", run.GraphName);
    }

    [Fact]
    public void the_oldest_no_stats_summary_is_the_timed_mean()
    {
        var run = Parse("tflite-no-stats-oldest.log");
        Assert.Equal(4.452m, run.InitMs);
        Assert.Equal(137.722m, run.MeanMs);
        Assert.Equal(141.938m, run.FirstInferenceMs);
        Assert.Equal(141.938m, run.WarmupMeanMs);
        Assert.Equal(1, run.WarmupRuns);
        Assert.Equal(4, run.Threads);
        Assert.Equal("inception_v3.tflite", run.GraphName);
    }

    [Fact]
    public void logcat_lines_and_an_all_same_loop_are_read_and_an_unused_nnapi_delegate_is_delegation_none()
    {
        var run = Parse("tflite-logcat-nnapi.log");
        Assert.Equal("nnapi", run.Backend);
        Assert.Equal("none", run.Delegation);
        Assert.Equal(0, run.DelegateKernels);
        Assert.Equal(640, run.TimedRuns);
        Assert.Equal(1.562m, run.MeanMs);
        Assert.Equal(1.562m, run.MinMs);
        Assert.Equal(1.562m, run.MaxMs);
        Assert.Equal(0m, run.StdMs);
        Assert.Equal(1.60522m, run.WarmupMeanMs);
        Assert.Equal(27.94m, run.InitMs);
        Assert.Equal("hand_recrop.tflite", run.GraphName);
    }

    [Theory]
    [InlineData("I tflite  : ")]
    [InlineData("I/tflite  ( 8121): ")]
    [InlineData("INFO: ")]
    [InlineData("")]
    public void every_logcat_and_logger_prefix_reads_the_same_run(string prefix)
    {
        var threadtime = Logs.Read("tflite-logcat-nnapi.log");
        var lines = threadtime.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^\d\d-\d\d [\d:.]+\s+\d+\s+\d+ I tflite  : ", prefix));
        var run = TfliteBenchmarkLog.Parse(string.Join('\n', lines));
        var original = TfliteBenchmarkLog.Parse(threadtime);
        Assert.Equal((original.InitMs, original.WarmupMeanMs, original.TimedRuns, original.GraphName, original.Backend),
            (run.InitMs, run.WarmupMeanMs, run.TimedRuns, run.GraphName, run.Backend));
        Assert.Equal(original.Conditions, run.Conditions);
        Assert.Equal(1.562m, run.MeanMs);
        Assert.Equal("none", run.Delegation);
    }

    [Fact]
    public void averages_in_scientific_notation_keep_their_printed_digits()
    {
        var run = Parse("tflite-scientific.log");
        Assert.Equal(1510.22m, run.MeanMs);
        Assert.Equal(1530.254m, run.WarmupMeanMs); // the one warm-up run's exact time, not the rounded average
        Assert.Equal(1505.127m, run.MinMs);
        Assert.Equal(3.716m, run.StdMs);
        Assert.Equal(3.905m, run.InitMs);
        Assert.Equal(1, run.Threads);
    }

    [Fact]
    public void count_zero_loops_record_no_timings_and_no_invented_zeros()
    {
        var run = Parse("tflite-dry-run-count0.log");
        Assert.Equal(0, run.WarmupRuns);
        Assert.Equal(0, run.TimedRuns);
        Assert.Null(run.MeanMs);
        Assert.Null(run.MinMs);
        Assert.Null(run.FirstInferenceMs);
        Assert.Null(run.WarmupMeanMs);
        Assert.Equal(12.345m, run.InitMs);
    }

    [Fact]
    public void a_partial_gpu_delegation_counts_its_kernels_and_the_older_peak_footprint_line_is_kept_as_a_delta()
    {
        var run = Parse("tflite-gpu-partial-older-memory.log");
        Assert.Equal("gpu", run.Backend);
        Assert.Equal("partial", run.Delegation);
        Assert.Equal(3, run.DelegateKernels);
        Assert.Equal("58/64", run.Conditions["delegate.gpu.nodes"]);
        Assert.Equal("3", run.Conditions["delegate.gpu.partitions"]);
        Assert.Equal("32.2227", run.Conditions["memoryInitMb"]);
        Assert.Equal("33.9453", run.Conditions["memoryOverallMb"]);
        Assert.Equal("peak rss delta", run.Conditions["memoryFootprint"]);
        Assert.Null(run.PeakMemoryMb);
        Assert.Equal(1066.2m, run.InitMs);
        Assert.Equal(134, run.TimedRuns);
    }

    [Fact]
    public void the_regular_run_order_table_becomes_operator_rows_in_run_order()
    {
        var run = Parse("tflite-op-profiling.log");
        Assert.Equal(8, run.Operators.Count);
        var first = run.Operators[0];
        Assert.Equal(0, first.Index);
        Assert.Equal("CONV_2D", first.NodeType);
        Assert.Equal("model/conv2d/Relu6", first.Name);
        Assert.Null(first.StartMs);
        Assert.Equal(0.412, first.FirstMs);
        Assert.Equal(0.398, first.AvgMs);
        Assert.Equal(26.358, first.Percent);
        Assert.Equal(26.358, first.CdfPercent);
        Assert.Equal(0.0, first.MemKb);
        Assert.Equal(1L, first.TimesCalled);
        Assert.Equal(["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"],
            run.Operators.Select(o => o.NodeType));
        Assert.Equal(100.0, run.Operators[^1].CdfPercent);
        Assert.DoesNotContain(run.Operators, o => o.NodeType == "AllocateTensors"); // the initialisation table is not the run's
        Assert.Equal(1.51213m, run.MeanMs);

        var ids = new ImportIds("r", "s", "d", "f", "h", DateTimeOffset.UnixEpoch);
        var profile = run.ToOperatorProfile(ids);
        Assert.NotNull(profile);
        Assert.Same(run.Operators, profile.Operators);
    }

    [Fact]
    public void an_older_gpu_profile_has_a_start_column_bracketed_names_and_one_delegate_node()
    {
        var run = Parse("tflite-op-profiling-gpu-older.log");
        Assert.Equal("gpu", run.Backend);
        Assert.Equal("full", run.Delegation);
        var op = Assert.Single(run.Operators);
        Assert.Equal("TfLiteGpuDelegateV2", op.NodeType);
        Assert.Equal("[TfLiteGpuDelegateV2:0]", op.Name);
        Assert.Equal(0.0, op.StartMs);
        Assert.Equal(1.161, op.AvgMs);
        Assert.Equal(100.0, op.Percent);
    }

    [Fact]
    public void a_run_without_profiling_has_no_operator_profile()
    {
        var ids = new ImportIds("r", "s", "d", "f", "h", DateTimeOffset.UnixEpoch);
        Assert.Null(Parse("tflite-average-older.log").ToOperatorProfile(ids));
    }

    // ---- malformations: each refused with the line that broke it

    [Fact]
    public void every_line_prefix_of_every_log_parses_or_is_refused_with_a_line_number()
    {
        foreach (var name in Directory.GetFiles(Logs.Path("")).Select(System.IO.Path.GetFileName).Where(n => n!.StartsWith("tflite-", StringComparison.Ordinal)))
        {
            var lines = Logs.Read(name!).Split('\n');
            for (int keep = 0; keep < lines.Length; keep++)
            {
                var text = string.Join('\n', lines.Take(keep));
                try
                {
                    var run = TfliteBenchmarkLog.Parse(text);
                    // A prefix that parses must end after the summary and carry the same timed figures as the whole.
                    Assert.Equal(TfliteBenchmarkLog.Parse(Logs.Read(name!)).MeanMs, run.MeanMs);
                }
                catch (BenchmarkLogException e)
                {
                    Assert.InRange(e.Line, 1, keep + 1);
                }
            }
        }
    }

    [Fact]
    public void a_log_cut_before_the_summary_is_refused_at_its_end()
    {
        var lines = Logs.Read("tflite-gpu-percentiles.log").Split('\n');
        int summary = Logs.LineOf(string.Join('\n', lines), "Inference timings in us");
        var cut = string.Join('\n', lines.Take(summary - 1)) + "\n";
        // The cut text's last line is the blank one after the timed loop: the end is where the summary was.
        Logs.Refused(() => TfliteBenchmarkLog.Parse(cut), summary, "before the inference timings summary");
    }

    [Fact]
    public void a_log_cut_inside_the_vmrss_block_is_refused()
    {
        var text = Logs.Read("tflite-gpu-percentiles.log");
        int header = Logs.LineOf(text, "Memory status at the end of exeution");
        var cut = string.Join('\n', text.Split('\n').Take(header));
        Logs.Refused(() => TfliteBenchmarkLog.Parse(cut), header + 1, "no VmRSS entry");
    }

    [Fact]
    public void a_summary_before_the_timed_loop_is_refused_as_reordered()
    {
        var lines = Logs.Read("tflite-average-older.log").Split('\n').ToList();
        int summary = lines.FindIndex(l => l.StartsWith("Average inference timings", StringComparison.Ordinal));
        int timed = lines.FindLastIndex(l => l.StartsWith("Running benchmark", StringComparison.Ordinal));
        var line = lines[summary];
        lines.RemoveAt(summary);
        lines.Insert(timed, line);
        Logs.Refused(() => TfliteBenchmarkLog.Parse(string.Join('\n', lines)), timed + 1, "single benchmark loop");
    }

    [Fact]
    public void memory_lines_before_the_summary_are_refused_as_reordered()
    {
        var lines = Logs.Read("tflite-xnnpack-partial.log").Split('\n').ToList();
        int memory = lines.FindIndex(l => l.Contains("Memory footprint delta", StringComparison.Ordinal));
        int init = lines.FindIndex(l => l.Contains("Initialized session", StringComparison.Ordinal));
        var line = lines[memory];
        lines.RemoveAt(memory);
        lines.Insert(init, line);
        Logs.Refused(() => TfliteBenchmarkLog.Parse(string.Join('\n', lines)), init + 1, "before the inference timings summary");
    }

    [Fact]
    public void a_timed_line_without_its_warmup_is_refused()
    {
        var text = Logs.Read("tflite-gpu-percentiles.log");
        int warmupRunning = Logs.LineOf(text, "at least 1 iterations");
        var lines = text.Split('\n').ToList();
        lines.RemoveRange(warmupRunning - 1, 3); // the warm-up's Running line, its count line and the blank after it
        var broken = string.Join('\n', lines);
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), Logs.LineOf(broken, "Inference timings in us"), "warm-up or the timed loop is missing");
    }

    [Fact]
    public void a_count_line_without_its_running_line_is_refused()
    {
        var text = Logs.Read("tflite-average-older.log");
        int running = Logs.LineOf(text, "at least 1 iterations");
        var broken = Logs.ReplaceLine(text, running, "");
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), running + 1, "without its 'Running benchmark' line");
    }

    [Theory]
    [InlineData("Inference timings in us:", "Inference timings in ms:", "units changed")]
    [InlineData("Initialized session in 1361.24ms.", "Initialized session in 1.36124s.", "units changed")]
    [InlineData("Overall peak memory footprint (MB)", "Overall peak memory footprint (KB)", "units changed")]
    [InlineData("- VmRSS              : 25 MB", "- VmRSS              : 25600 kB", "units changed")]
    [InlineData("The input model file size (MB)", "The input model file size (KB)", "units changed")]
    public void a_changed_unit_is_refused_on_its_line(string from, string to, string problem)
    {
        var text = Logs.Read("tflite-gpu-percentiles.log");
        int line = Logs.LineOf(text, from);
        Logs.Refused(() => TfliteBenchmarkLog.Parse(Logs.Replace(text, from, to)), line, problem);
    }

    [Theory]
    [InlineData("avg=115246 std=1329", "avg= std=1329", "avg is missing")]
    [InlineData("avg=115246 std=1329", "avg=n/a std=1329", "is not a number")]
    [InlineData("count=50 first=119614", "count=fifty first=119614", "is not a number")]
    [InlineData("count=50 first=119614 curr=115889 min=111842 max=119614 avg=115246 std=1329", "count=50 first=119614 curr=115889 max=119614 avg=115246 std=1329", "'min' is missing")]
    [InlineData("p5=112107 median=115350 p95=116620\n", "p5=112107 p95=116620\n", "'median' is missing")]
    [InlineData("Inference (avg): 115246", "Inference (avg): 115,246", "is not a number")]
    [InlineData("init=14.4414 overall=14.8164", "init=14.4414 overall=", "is missing")]
    [InlineData("std=1329 p5", "std=-1329 p5", "is negative")]
    public void a_missing_or_non_numeric_figure_is_refused_on_its_line(string from, string to, string problem)
    {
        var text = Logs.Read("tflite-gpu-percentiles.log");
        int line = Logs.LineOf(text, from.Split('\n')[0]);
        Logs.Refused(() => TfliteBenchmarkLog.Parse(Logs.Replace(text, from, to)), line, problem);
    }

    [Theory]
    [InlineData("Inference (avg): 115246", "Inference (avg): 116246", "contradicts avg")]
    [InlineData("First inference: 125113", "First inference: 125112", "differs from the warm-up loop's first")]
    [InlineData("Init: 1361236", "Init: 1461236", "contradicts 'Initialized session")]
    [InlineData("+ RssAnnon           : 18 MB", "+ RssAnnon           : 17 MB", "is not RssAnnon")]
    [InlineData("min=111842 max=119614 avg=115246", "min=119700 max=119614 avg=115246", "is above max")]
    [InlineData("median=115350", "median=119000", "percentiles out of order")]
    public void contradictory_figures_are_refused(string from, string to, string problem)
    {
        var text = Logs.Read("tflite-gpu-percentiles.log");
        var broken = Logs.Replace(text, from, to);
        var e = Assert.Throws<BenchmarkLogException>(() => TfliteBenchmarkLog.Parse(broken));
        Assert.Contains(problem, e.Problem, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(e.Line, 1, broken.Split('\n').Length + 1);
    }

    [Fact]
    public void a_delegate_said_to_run_everything_while_nodes_were_left_on_the_cpu_is_refused()
    {
        var text = Logs.Read("tflite-op-profiling-gpu-older.log");
        var broken = Logs.Replace(text, "Replacing 8 out of 8 node(s)", "Replacing 7 out of 8 node(s)");
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), Logs.LineOf(broken, "Applied GPU delegate"), "replaced 7 of 8 nodes");
    }

    [Fact]
    public void an_operator_row_with_a_missing_cell_is_refused()
    {
        var text = Logs.Read("tflite-op-profiling.log");
        int line = Logs.LineOf(text, "model/dw1/Relu6");
        var lines = text.Split('\n');
        var cells = lines[line - 1].Split('\t').ToList();
        cells.RemoveAt(3);
        var broken = Logs.ReplaceLine(text, line, string.Join('\t', cells));
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), line, "tab-separated cells");
    }

    [Fact]
    public void an_operator_time_that_is_not_a_number_is_refused()
    {
        var text = Logs.Read("tflite-op-profiling.log");
        int line = Logs.LineOf(text, "model/pw1/Relu6");
        var broken = Logs.ReplaceLine(text, line, text.Split('\n')[line - 1].Replace("0.341", "0.3x1", StringComparison.Ordinal));
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), line, "[avg ms]");
    }

    [Fact]
    public void a_run_order_table_missing_rows_contradicts_nodes_observed()
    {
        var text = Logs.Read("tflite-op-profiling.log");
        int line = Logs.LineOf(text, "model/softmax");
        var broken = string.Join('\n', text.Split('\n').Where((_, i) => i != line - 1));
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), Logs.LineOf(broken, "8 nodes observed"), "8 nodes observed but the Run Order table has 7 rows");
    }

    [Fact]
    public void an_operator_table_with_a_changed_unit_column_is_refused()
    {
        var text = Logs.Read("tflite-op-profiling.log");
        var broken = text.Replace("[avg ms]", "[avg us]", StringComparison.Ordinal);
        Logs.Refused(() => TfliteBenchmarkLog.Parse(broken), Logs.LineOf(broken, "[avg us]"), "unknown column [avg us]");
    }

    [Fact]
    public void two_graph_names_in_one_log_are_refused()
    {
        var text = Logs.Read("tflite-xnnpack-partial.log");
        var broken = Logs.Replace(text, "INFO: Loaded model /data/local/tmp/ssd_mobilenet_v2_coco.tflite", "INFO: Loaded model /data/local/tmp/other.tflite");
        var e = Assert.Throws<BenchmarkLogException>(() => TfliteBenchmarkLog.Parse(broken));
        Assert.Contains("different graphs", e.Problem);
    }

    [Fact]
    public void a_second_benchmark_run_in_the_same_log_is_refused()
    {
        var text = Logs.Read("tflite-average-older.log");
        var doubled = text + "\n" + text;
        Logs.Refused(() => TfliteBenchmarkLog.Parse(doubled), text.Split('\n').Length + Logs.LineOf(text, "Initialized session"), "after a benchmark loop");
    }

    [Fact]
    public void text_that_is_no_benchmark_log_is_refused()
    {
        Logs.Refused(() => TfliteBenchmarkLog.Parse("hello\nworld"), 3, "no benchmark loop");
        Logs.Refused(() => TfliteBenchmarkLog.Parse(""), 1, "no benchmark loop");
    }

    [Fact]
    public void a_line_over_the_cap_is_refused_before_it_is_read()
    {
        var limits = new ImportLimits { MaxLineChars = 100 };
        var text = Logs.Read("tflite-gpu-percentiles.log");
        var e = Assert.Throws<BenchmarkLogException>(() => TfliteBenchmarkLog.Parse(text, limits));
        Assert.Contains("exceeds the cap", e.Problem);
    }
}
