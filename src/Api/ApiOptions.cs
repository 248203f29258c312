using GaugeNN.Api.Limits;

namespace GaugeNN.Api;

/// <summary>How the API serves: its caps, who may call it from a browser, the key it asks for, where downloads are staged.</summary>
public sealed record ApiOptions
{
    public ApiLimits Limits { get; init; } = new();

    /// <summary>Origins a browser may call the API from (CORS); empty: no CORS headers, same-origin only.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>When set, <c>/graphql</c> and <c>/download</c> answer only requests carrying it (Authorization: Bearer, or X-Api-Key).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Where download files are staged while they stream (deleted after; leftovers removed at start).</summary>
    public string DownloadFolder { get; init; } = Path.Combine(Path.GetTempPath(), "gaugenn-downloads");

    /// <summary>
    /// A number that moves whenever the warehouse's tables change (the host's projection version): facts read once and
    /// shared by requests (the snapshot list, the counts lists grow with) are kept until it moves. Without it they are
    /// read again after a few seconds.
    /// </summary>
    public Func<long>? Version { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
