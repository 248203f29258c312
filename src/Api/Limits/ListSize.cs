using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace GaugeNN.Api.Limits;

/// <summary>What the lengths of the unpaged lists grow with: the snapshots and devices in the warehouse.</summary>
public sealed record ListSizes(long Snapshots, long Devices);

/// <summary>
/// How long an unpaged list can be, declared on its field for the query budget: lists bounded by what a file holds
/// (an app's model files, a model's operators) by a typical length, lists that grow with the warehouse by a function of
/// its counts. Every list field outside a connection declares one (a test holds them to it).
/// </summary>
public static class ListSize
{
    private const string Key = "gaugenn:list-size";

    public static FieldBuilder<TSource, TReturn> Sized<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, Func<ListSizes, double> size) =>
        field.WithMetadata(Key, size);

    public static FieldBuilder<TSource, TReturn> Sized<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, double size) =>
        field.Sized(_ => size);

    public static Func<ListSizes, double>? Of(FieldType field) => field.GetMetadata<Func<ListSizes, double>?>(Key);
}
