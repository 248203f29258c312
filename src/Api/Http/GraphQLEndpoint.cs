using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GaugeNN.Api.Http;

/// <summary>
/// <c>/graphql</c> as GraphQL servers serve it (GraphQL over HTTP): POST with <c>application/json</c>
/// ({query, variables, operationName, extensions}) or <c>application/graphql</c> (the query as the body), GET with the
/// same as URL parameters for queries only. Before anything runs: the body and the query text are capped, the
/// document is parsed and its fields counted (validation is quadratic in them), then validated with the
/// <see cref="QueryBudget"/>. A run is bounded in time (its SQL statement is interrupted) and its answer in bytes.
/// Every refusal is a GraphQL error with a message and a code.
/// </summary>
public static class GraphQLEndpoint
{
    private const string GraphQLResponse = "application/graphql-response+json";

    public static async Task HandleAsync(HttpContext http, IDocumentExecuter executer, ISchema schema, IGraphQLTextSerializer serializer,
        ApiLimits limits, MemoryRelief relief, DocumentCache documents, ILogger<GaugeApiLog> log)
    {
        long received = System.Diagnostics.Stopwatch.GetTimestamp();
        var (request, refusal) = HttpMethods.IsGet(http.Request.Method) ? ReadGet(http, serializer) : await ReadPostAsync(http, serializer, limits);
        if (refusal is not null)
        {
            if (refusal.Redirect is { } location) http.Response.Redirect(location);
            else await Errors.WriteAsync(http, refusal.Status, refusal.Code, refusal.Message);
            return;
        }
        if (string.IsNullOrWhiteSpace(request!.Query))
        {
            await Errors.WriteAsync(http, StatusCodes.Status400BadRequest, "BAD_REQUEST",
                "a request carries a 'query' string: POST JSON {\"query\": \"{ snapshots { id } }\"} or GET /graphql?query=…");
            return;
        }
        if (request.Query.Length > limits.MaxQueryChars)
        {
            await Errors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "QUERY_TOO_LONG",
                $"the query is {request.Query.Length:N0} characters, at most {limits.MaxQueryChars:N0}");
            return;
        }
        var known = documents.Find(request.Query);
        GraphQLDocument document;
        try
        {
            document = known ?? Parser.Parse(request.Query, new ParserOptions { Ignore = IgnoreOptions.Comments, MaxDepth = 2 * limits.MaxDepth + 16 });
        }
        catch (GraphQLSyntaxErrorException e)
        {
            await WriteAsync(http, serializer, limits, relief, new ExecutionResult { Errors = [new SyntaxError(e)] }, StatusCodes.Status400BadRequest);
            return;
        }
        catch (GraphQLMaxDepthExceededException)
        {
            await Errors.WriteAsync(http, StatusCodes.Status400BadRequest, "BUDGET", $"query is too deep: more than {limits.MaxDepth} levels of fields");
            return;
        }
        if (known is null && CountFields(document, limits.MaxDocumentFields) > limits.MaxDocumentFields)
        {
            await Errors.WriteAsync(http, StatusCodes.Status400BadRequest, "BUDGET",
                $"query has more than {limits.MaxDocumentFields:N0} fields as written (each alias counts); split it");
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) && Operation(document, request.OperationName) is { Operation: not OperationType.Query })
        {
            http.Response.Headers.Allow = "POST";
            await Errors.WriteAsync(http, StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED", "GET carries queries only; send other operations with POST");
            return;
        }

        async Task TimedOutAsync()
        {
            relief.After(0, heavy: true);
            await Errors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "TIMEOUT",
                $"the query ran longer than {limits.Timeout.TotalSeconds:0.#} s and was stopped; ask for smaller pages or fewer fields");
        }

        var lease = http.RequestServices.GetRequiredService<ReaderLease>();
        long statementsBefore = lease.Warehouse.Statements;
        var sqlBefore = lease.Warehouse.StatementTime;
        long executing = System.Diagnostics.Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(limits.Timeout);
        await using var interrupt = deadline.Token.Register(lease.Warehouse.Interrupt);
        var user = new Dictionary<string, object?>();
        ExecutionResult result;
        try
        {
            result = await executer.ExecuteAsync(options =>
            {
                options.Schema = schema;
                options.Query = request.Query;
                options.Document = document;
                options.Variables = request.Variables;
                options.OperationName = request.OperationName;
                options.Extensions = request.Extensions;
                options.RequestServices = http.RequestServices;
                options.CancellationToken = deadline.Token;
                options.UserContext = user;
                options.ValidationRules = known is null ? [.. DocumentValidator.CoreRules, new QueryBudget(limits)] : [new QueryBudget(limits)];
                options.UnhandledExceptionDelegate = context => Explain(context, log);
            });
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await TimedOutAsync();
            return;
        }
        // The deadline's timer can fire late on a busy machine, after a quick answer: past its time is past its time.
        var execute = System.Diagnostics.Stopwatch.GetElapsedTime(executing);
        if (execute > limits.Timeout)
        {
            await TimedOutAsync();
            return;
        }
        if (known is null && result.Executed) documents.Remember(request.Query, document);
        var sql = lease.Warehouse.StatementTime - sqlBefore;
        if (user.GetValueOrDefault(nameof(QueryCost)) is QueryCost cost)
        {
            result.Extensions ??= [];
            result.Extensions["cost"] = new Dictionary<string, object?>
            {
                ["complexity"] = Math.Round(cost.Complexity),
                ["fields"] = cost.Fields,
                ["depth"] = cost.Depth,
                ["introspection"] = Math.Round(cost.IntrospectionComplexity),
                ["statements"] = lease.Warehouse.Statements - statementsBefore,
            };
        }
        // Where the time went, for browsers' developer tools and for the bench (W3C Server-Timing).
        string timing = FormattableString.Invariant($"sql;dur={sql.TotalMilliseconds:0.###}, execute;dur={execute.TotalMilliseconds:0.###}");
        await WriteAsync(http, serializer, limits, relief, result, result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
            timing, received);
    }

    /// <summary>Serialises into a capped buffer first: an answer over the cap is replaced by an error, never half sent.</summary>
    private static async Task WriteAsync(HttpContext http, IGraphQLTextSerializer serializer, ApiLimits limits, MemoryRelief relief,
        ExecutionResult result, int status, string? timing = null, long received = 0)
    {
        using var buffer = new CappedBuffer(limits.MaxResponseBytes);
        try
        {
            await serializer.WriteAsync(buffer, result, http.RequestAborted);
        }
        catch (ResponseTooLargeException)
        {
            relief.After(buffer.Length, heavy: true);
            await Errors.WriteAsync(http, StatusCodes.Status400BadRequest, "RESPONSE_TOO_LARGE",
                $"the answer is larger than {limits.MaxResponseBytes / (1024 * 1024)} MB; ask for smaller pages or fewer fields");
            return;
        }
        http.Response.StatusCode = status;
        if (timing is not null)
            http.Response.Headers["Server-Timing"] = FormattableString.Invariant(
                $"{timing}, total;dur={System.Diagnostics.Stopwatch.GetElapsedTime(received).TotalMilliseconds:0.###}");
        var accept = http.Request.Headers.Accept.ToString();
        http.Response.ContentType = (accept.Contains(GraphQLResponse, StringComparison.OrdinalIgnoreCase) ? GraphQLResponse : "application/json") + "; charset=utf-8";
        http.Response.ContentLength = buffer.Length;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
        relief.After(buffer.Length, heavy: false);
    }

    private static Task Explain(UnhandledExceptionContext context, ILogger log)
    {
        switch (context.OriginalException)
        {
            case CursorException e:
                context.ErrorMessage = e.Message;
                break;
            case DuckDB.NET.Data.DuckDBException e when e.Message.Contains("INTERRUPT", StringComparison.OrdinalIgnoreCase):
                context.ErrorMessage = "the query ran out of time and was stopped";
                break;
            default:
                log.LogError(context.OriginalException, "GraphQL field {Field} failed", context.FieldContext?.FieldDefinition.Name);
                break;
        }
        return Task.CompletedTask;
    }

    private sealed record Refusal(int Status, string Code, string Message, string? Redirect = null);

    private static (GraphQLRequest?, Refusal?) ReadGet(HttpContext http, IGraphQLTextSerializer serializer)
    {
        var query = http.Request.Query;
        if (!query.ContainsKey("query") && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
            return (null, new Refusal(StatusCodes.Status302Found, "", "", Redirect: "/graphiql"));
        return FromParameters(query["query"], query, serializer);
    }

    private static (GraphQLRequest?, Refusal?) FromParameters(string? text, IQueryCollection parameters, IGraphQLTextSerializer serializer)
    {
        try
        {
            return (new GraphQLRequest
            {
                Query = text,
                OperationName = parameters["operationName"] is { Count: > 0 } name ? name.ToString() : null,
                Variables = parameters["variables"] is { Count: > 0 } variables ? serializer.Deserialize<Inputs>(variables) : null,
                Extensions = parameters["extensions"] is { Count: > 0 } extensions ? serializer.Deserialize<Inputs>(extensions) : null,
            }, null);
        }
        catch (Exception e) when (e is JsonException or ExecutionError or FormatException or InvalidOperationException)
        {
            return (null, new Refusal(StatusCodes.Status400BadRequest, "BAD_REQUEST", $"variables and extensions must be JSON objects: {e.Message}"));
        }
    }

    private static async Task<(GraphQLRequest?, Refusal?)> ReadPostAsync(HttpContext http, IGraphQLTextSerializer serializer, ApiLimits limits)
    {
        if (http.Request.ContentLength > limits.MaxBodyBytes)
            return (null, TooLarge(http.Request.ContentLength.Value, limits));
        string mediaType = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var parsed) ? parsed.MediaType ?? "" : "";
        bool json = mediaType is "" or "application/json" || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        bool graphql = mediaType is "application/graphql";
        if (!json && !graphql)
            return (null, new Refusal(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"a POST body is application/json or application/graphql, not {mediaType}"));
        var body = await ReadCappedAsync(http.Request.Body, limits.MaxBodyBytes, http.RequestAborted);
        if (body is null) return (null, TooLarge(null, limits));
        string text = Encoding.UTF8.GetString(body);
        if (graphql) return FromParameters(text, http.Request.Query, serializer);
        try
        {
            var request = serializer.Deserialize<GraphQLRequest>(text);
            return request is null
                ? (null, new Refusal(StatusCodes.Status400BadRequest, "BAD_REQUEST", "the body is empty: send JSON {\"query\": \"…\"}"))
                : (request, null);
        }
        catch (Exception e) when (e is JsonException or ExecutionError or FormatException or InvalidOperationException)
        {
            return (null, new Refusal(StatusCodes.Status400BadRequest, "BAD_REQUEST",
                $"the body is not a JSON object with a 'query' string ({e.Message.Split('\n')[0]})"));
        }
    }

    private static Refusal TooLarge(long? length, ApiLimits limits) => new(StatusCodes.Status413PayloadTooLarge, "BODY_TOO_LARGE",
        $"the request body is {(length is { } n ? $"{n:N0} bytes" : "larger than allowed")}, at most {limits.MaxBodyBytes:N0} bytes");

    /// <summary>The whole body, or null as soon as it passes <paramref name="cap"/> (the rest is never read).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, int cap, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > cap) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Field nodes as written, counted up to just past <paramref name="cap"/>.</summary>
    private static int CountFields(GraphQLDocument document, int cap)
    {
        int count = 0;
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
            if (definition is GraphQLExecutableDefinition { SelectionSet: { } set }) pending.Push(set);
        while (pending.TryPop(out var set) && count <= cap)
            foreach (var selection in set.Selections)
            {
                if (selection is GraphQLField) count++;
                var inner = selection switch
                {
                    GraphQLField f => f.SelectionSet,
                    GraphQLInlineFragment i => i.SelectionSet,
                    _ => null,
                };
                if (inner is not null) pending.Push(inner);
            }
        return count;
    }

    private static GraphQLOperationDefinition? Operation(GraphQLDocument document, string? name)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return name is null ? operations.Count == 1 ? operations[0] : null : operations.FirstOrDefault(o => o.Name?.StringValue == name);
    }
}

/// <summary>The API's log category.</summary>
public sealed class GaugeApiLog;
