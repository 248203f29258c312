using GaugeNN.Api.Schema;
using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GaugeNN.Api;

/// <summary>
/// The GraphQL API over the warehouse: <c>POST /graphql</c> (JSON body {query, variables, operationName}) and a small
/// explorer page at <c>GET /</c>. Binds to loopback only; the DuckDB file is opened read-only.
/// </summary>
public static class ApiHost
{
    public const int MaxDepth = 12;
    public const int MaxComplexity = 100_000;

    public static WebApplication Build(string duckDbFile, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // Per request: DuckDB lets one process write a file only while no other holds it, so the API holds the
        // warehouse just for the length of a request and `gaugenn project` can bring it up to date in between.
        builder.Services.AddScoped(_ => DuckDbWarehouse.Open(duckDbFile, readOnly: true));
        builder.Services.AddScoped<WarehouseReader>();
        builder.Services.AddScoped<ChurnReader>();
        builder.Services.AddScoped<AdoptionReader>();
        builder.Services.AddGraphQL(b => b
            .AddSchema<GaugeSchema>()
            .AddGraphTypes(typeof(GaugeSchema).Assembly)
            .AddSystemTextJson()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = MaxDepth;
                c.MaxComplexity = MaxComplexity;
            }));
        var app = builder.Build();
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
