namespace GaugeNN.Api.Limits;

/// <summary>
/// Every cap of the API, with its default. The HTTP layer enforces the byte and time caps; <see cref="QueryBudget"/>
/// the shape caps (depth, fields, estimated answer size, page size, points in time) before anything is read.
/// </summary>
public sealed record ApiLimits
{
    /// <summary>Levels of nested fields in a data query (a connection hop takes three: field, edges, node).</summary>
    public int MaxDepth { get; init; } = 15;

    /// <summary>Levels of nested fields under <c>__schema</c>/<c>__type</c> (the standard introspection query takes 15).</summary>
    public int MaxIntrospectionDepth { get; init; } = 16;

    /// <summary>Values a data query could answer at most, estimated from page sizes and list lengths.</summary>
    public double MaxComplexity { get; init; } = 200_000;

    /// <summary>Values an introspection query could answer at most (list lengths from the schema itself).</summary>
    public double MaxIntrospectionComplexity { get; init; } = 100_000;

    /// <summary>Field selections after expanding fragments: aliases and each use of a fragment count.</summary>
    public int MaxFields { get; init; } = 600;

    /// <summary>Field nodes in the document as written (checked before validation, which is quadratic in them).</summary>
    public int MaxDocumentFields { get; init; } = 1_000;

    /// <summary>Points in time one request may ask for (asOf arguments, churn of pairs): each may build a schema.</summary>
    public int MaxPointsInTime { get; init; } = 4;

    /// <summary>Characters of query text.</summary>
    public int MaxQueryChars { get; init; } = 64 * 1024;

    /// <summary>Bytes of a request body (query, variables, extensions).</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes of an answer; a bigger one is replaced by an error asking for smaller pages.</summary>
    public int MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long a query may run; its SQL statement is interrupted then.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
