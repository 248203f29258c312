using GaugeNN.Api.Loading;
using GaugeNN.Warehouse.Read;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Schema;

/// <summary>The request's readers and loaders (one read connection per request, so a projection can run between requests).</summary>
internal static class Readers
{
    public static T Reader<T>(this IResolveFieldContext context) where T : notnull => context.RequestServices!.GetRequiredService<T>();

    public static RequestLoaders Loaders(this IResolveFieldContext context) => context.RequestServices!.GetRequiredService<RequestLoaders>();

    public static ReaderPool Pool(this IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ReaderPool>();
}
