using GaugeNN.Api.Http;
using GaugeNN.Api.Limits;
using GaugeNN.Api.Loading;
using GaugeNN.Api.Schema;
using GaugeNN.Warehouse.Read;
using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api;

/// <summary>
/// The API over the warehouse, as GraphQL servers serve it: <c>/graphql</c> (GET for queries; POST with JSON or
/// <c>application/graphql</c>), table downloads at <c>/download/TABLE.parquet|.arrow</c>, and the front-end (the
/// dashboard at <c>/</c>, GraphiQL at <c>/graphiql</c>) from resources embedded at build time. It reads through the
/// host's <see cref="ReaderPool"/>, one connection per request.
/// </summary>
public static class GaugeApi
{
    public static IServiceCollection AddGaugeApi(this IServiceCollection services, ReaderPool readers, ApiOptions? options = null)
    {
        options ??= new ApiOptions();
        services.AddSingleton(options);
        services.AddSingleton(options.Limits);
        services.AddSingleton(readers);
        services.AddSingleton(new WarehouseFacts(readers, options));
        services.AddSingleton(new MemoryRelief(options.Time));
        services.AddSingleton<DocumentCache>();
        services.AddScoped(_ => readers.Rent());
        services.AddScoped<WarehouseReader>();
        services.AddScoped<AppReader>();
        services.AddScoped<ModelReader>();
        services.AddScoped<ChurnReader>();
        services.AddScoped<AdoptionReader>();
        services.AddScoped<MeasurementReader>();
        services.AddScoped<RequestLoaders>();
        // Scalars we describe and mark @specifiedBy: instances of this container, not GraphQL.NET's shared ones.
        services.AddSingleton<GraphQL.Types.DateOnlyGraphType>();
        services.AddSingleton<GraphQL.Types.DateTimeOffsetGraphType>();
        services.AddSingleton(typeof(Schema.Connections.ConnectionType<,>));
        services.AddSingleton(typeof(Schema.Connections.EdgeType<,>));
        if (options.CorsOrigins.Count > 0)
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. options.CorsOrigins])
                .WithMethods("GET", "POST").WithHeaders("Content-Type", "Authorization", ApiKeyCheck.Header)));
        services.AddGraphQL(b => b
            // One read connection per request runs one statement at a time: resolving fields in parallel only contends
            // for it. The serial strategy still defers every batched load of a level until the level is done.
            .AddExecutionStrategy<GraphQL.Execution.SerialExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            .AddSchema<GaugeSchema>()
            .AddGraphTypes(typeof(GaugeSchema).Assembly)
            .AddSystemTextJson());
        return services;
    }

    public static WebApplication MapGaugeApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ApiOptions>();
        if (options.CorsOrigins.Count > 0) app.UseCors();
        var data = app.MapGroup("").AddEndpointFilter(new ApiKeyCheck(options.ApiKey));
        data.MapMethods("/graphql", ["GET", "POST"], GraphQLEndpoint.HandleAsync);
        Downloads.Map(data, options);
        StaticSite.Map(app);
        app.MapFallback("{**path}", NotServed);
        return app;
    }

    private static IResult NotServed(HttpContext http)
    {
        if (http.Request.Path.Equals("/graphql", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.Allow = "GET, POST";
            return Errors.Result(StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED", "/graphql answers GET (queries) and POST");
        }
        return Errors.Result(StatusCodes.Status404NotFound, "NOT_FOUND",
            $"nothing is served at {http.Request.Path}: GraphQL is at /graphql, tables at /download/TABLE.parquet or .arrow, the dashboard at /");
    }
}
