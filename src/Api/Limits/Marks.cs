using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace GaugeNN.Api.Limits;

/// <summary>Fields that may build a schema of their own (churn of a non-consecutive pair): the budget counts them.</summary>
public static class PointInTimeMark
{
    private const string Key = "gaugenn:point-in-time";

    public static FieldBuilder<TSource, TReturn> BuildsSchema<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.WithMetadata(Key, true);

    public static bool Of(FieldType field) => field.GetMetadata(Key, false);
}
