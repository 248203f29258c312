using System.Diagnostics;
using GaugeNN.Events;
using Microsoft.ML.OnnxRuntime;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// The one owner of an ONNX Runtime session and everything native that goes with it (session options, run options,
/// the synthesised input values). Nothing else touches them raw; disposing this releases them all.
/// </summary>
public sealed class OrtSession : IDisposable
{
    private readonly SessionOptions options;
    private readonly List<OrtValue> inputs = [];

    internal InferenceSession Session { get; }
    internal RunOptions RunOptions { get; } = new();
    internal IReadOnlyList<string> InputNames { get; }
    internal IReadOnlyList<OrtValue> Inputs => inputs;
    internal IReadOnlyList<string> OutputNames { get; }

    /// <summary>Time to create the session (load, optimise and initialise the graph), in milliseconds.</summary>
    public double InitMs { get; }

    /// <summary>The shape given to each input, e.g. <c>x=1,3,48,192</c>.</summary>
    public IReadOnlyDictionary<string, string> InputShapes { get; }

    private OrtSession(HostModel model, BenchmarkConfig config)
    {
        options = HostOptions.Session(config);
        try
        {
            long start = Stopwatch.GetTimestamp();
            Session = model.Bytes is { } bytes ? new InferenceSession(bytes, options) : new InferenceSession(model.Path!, options);
            InitMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var (name, meta) in Session.InputMetadata)
            {
                var shape = InputSynthesis.Shape(name, meta, config.Options);
                inputs.Add(InputSynthesis.Create(name, meta, shape, config.Options));
                names.Add(name);
                shapes[name] = string.Join(',', shape);
            }
            InputNames = names;
            InputShapes = shapes;
            OutputNames = Session.OutputMetadata.Keys.ToList();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Loads the model with the config's threads, execution mode and graph optimisation level.</summary>
    public static OrtSession Open(HostModel model, BenchmarkConfig config) => new(model, config);

    /// <summary>One inference on the synthesised inputs; the outputs are released at once.</summary>
    public void Run()
    {
        using var outputs = Session.Run(RunOptions, InputNames, inputs, OutputNames);
    }

    public void Dispose()
    {
        foreach (var value in inputs) value.Dispose();
        inputs.Clear();
        Session?.Dispose();
        RunOptions.Dispose();
        options.Dispose();
    }
}
