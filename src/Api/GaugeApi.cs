using GaugeNN.Api.Schema;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api;

/// <summary>
/// The GraphQL API over the warehouse: <c>POST /graphql</c> (JSON body {query, variables, operationName}) and a small
/// explorer page at <c>GET /</c>. It reads through the host's <see cref="ReaderPool"/>, a connection per request.
/// </summary>
public static class GaugeApi
{
    public const int MaxDepth = 12;
    public const int MaxComplexity = 100_000;

    public static IServiceCollection AddGaugeApi(this IServiceCollection services, ReaderPool readers)
    {
        services.AddSingleton(readers);
        services.AddScoped(_ => readers.Rent());
        services.AddScoped<WarehouseReader>();
        services.AddScoped<ChurnReader>();
        services.AddScoped<AdoptionReader>();
        services.AddScoped<MeasurementReader>();
        services.AddScoped<Loading.RequestLoaders>();
        services.AddGraphQL(b => b
            .AddSchema<GaugeSchema>()
            .AddGraphTypes(typeof(GaugeSchema).Assembly)
            .AddSystemTextJson()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = MaxDepth;
                c.MaxComplexity = MaxComplexity;
            }));
        return services;
    }

    public static WebApplication MapGaugeApi(this WebApplication app)
    {
        app.MapPost("/graphql", ExecuteAsync);
        app.MapGet("/", () => Results.Content(ExplorerPage.Html, "text/html"));
        return app;
    }

    private static async Task ExecuteAsync(HttpContext http, IDocumentExecuter executer, GraphQL.Types.ISchema schema, IGraphQLTextSerializer serializer)
    {
        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(http.Request.Body, http.RequestAborted);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            request = null;
        }
        if (request?.Query is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { errors = new[] { new { message = "body must be JSON with a 'query' string" } } });
            return;
        }
        var result = await executer.ExecuteAsync(options =>
        {
            options.Schema = schema;
            options.Query = request.Query;
            options.Variables = request.Variables;
            options.OperationName = request.OperationName;
            options.RequestServices = http.RequestServices;
            options.CancellationToken = http.RequestAborted;
        });
        http.Response.ContentType = "application/json";
        http.Response.StatusCode = result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
