using GaugeNN.Measure.Runners.Device;
using GaugeNN.Measure.Runners.Host;

namespace GaugeNN.Measure.Runners;

/// <summary>Which model formats a runtime reads, on any device: the phone runners' formats, and the host's LiteRT.js.</summary>
public static class RuntimeFormats
{
    public static bool Reads(string runtime, string format) =>
        runtime == LiteRtOptions.Runtime ? format == "tflite" : DeviceRunner.For(runtime)?.Formats.Contains(format) == true;
}
