using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Schema.Common;

/// <summary>A point of the event log: an event sequence number, or a time (the last event appended at or before it).</summary>
public sealed record AsOf(long? Sequence, DateTimeOffset? Time);

public sealed class AsOfType : InputObjectGraphType<AsOf>
{
    public AsOfType()
    {
        Name = "AsOf";
        Description = "A point of the event log: give exactly one of sequence (an event sequence number) or time.";
        Field(x => x.Sequence, nullable: true).Description("Answer with the events up to and including this sequence number.");
        Field(x => x.Time, nullable: true).Description("Answer with the events appended at or before this time.");
    }
}

/// <summary>Which schema a query reads: the live tables (<c>main</c>), or the app tables as of a point of the log.</summary>
public static class Views
{
    public static QueryArgument AsOfArgument() =>
        new QueryArgument<AsOfType> { Name = "asOf", Description = "Answer as the warehouse stood at this point of the event log." };

    public static string AppSchema(IResolveFieldContext context)
    {
        if (context.GetArgument<AsOf?>("asOf") is not { } asOf) return SqlContext.Main;
        var pointInTime = PointInTime(context);
        long sequence = (asOf.Sequence, asOf.Time) switch
        {
            ({ } s, null) when s >= 0 => s,
            (null, { } t) => pointInTime.SequenceAt(t),
            _ => throw new ExecutionError("asOf takes exactly one of sequence (>= 0) or time"),
        };
        return pointInTime.AsOf(sequence);
    }

    public static PointInTime PointInTime(IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<ReaderPool>().PointInTime;
}
