namespace GaugeNN.Application;

/// <summary>How far a long use case has come: <paramref name="Done"/> of <paramref name="Total"/> (null when unknown) units of <paramref name="Stage"/>.</summary>
public sealed record Progress(string Stage, long Done, long? Total, string Unit);
