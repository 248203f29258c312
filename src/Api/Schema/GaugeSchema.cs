using GraphQL;
using GraphQL.Introspection;
using GraphQL.Types;
using GraphQLParser.AST;

namespace GaugeNN.Api.Schema;

/// <summary>
/// The schema, with the introspection every client tool sends (graphql-js <c>getIntrospectionQuery</c> with all its
/// options): <c>isRepeatable</c>, <c>includeDeprecated</c> on arguments and input fields, and — which GraphQL.NET
/// 8 lacks — <c>__Type.specifiedByURL</c> with the <c>@specifiedBy</c> directive on the scalars we define by a spec,
/// and <c>includeDeprecated</c> on a directive's arguments.
/// </summary>
public sealed class GaugeSchema : GraphQL.Types.Schema
{
    private const string Rfc3339 = "https://www.rfc-editor.org/rfc/rfc3339";

    public GaugeSchema(IServiceProvider services, GaugeQuery query) : base(services)
    {
        Query = query;
        Description = "gaugeNN: which deep-learning models Android apps ship, how that changes between app-store snapshots, and what they cost to run.";
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        Directives.Register(new SpecifiedByDirective());
    }

    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        switch (graphType)
        {
            case __Type type:
                type.Field<StringGraphType>("specifiedByURL").Resolve(c => c.Source is ScalarGraphType scalar ? SpecifiedByDirective.Url(scalar) : null);
                break;
            case __Directive directive:
                // graphql-js asks for args(includeDeprecated: true) on directives too; none of ours is deprecated, so all are listed.
                var args = directive.GetField("args")!;
                args.Arguments ??= new QueryArguments();
                args.Arguments.Add(new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false });
                break;
            case DateOnlyGraphType date:
                date.Description = "A calendar date, RFC 3339 full-date (2021-04-30).";
                date.ApplyDirective(SpecifiedByDirective.Name, "url", $"{Rfc3339}#section-5.6");
                break;
            case DateTimeOffsetGraphType time:
                time.Description = "An instant with its offset, RFC 3339 date-time (2021-04-30T12:00:00+00:00).";
                time.ApplyDirective(SpecifiedByDirective.Name, "url", $"{Rfc3339}#section-5.6");
                break;
        }
        base.OnBeforeInitializeType(graphType);
    }

    /// <summary><c>@specifiedBy(url:)</c> (GraphQL spec, October 2021): where a custom scalar's format is defined.</summary>
    private sealed class SpecifiedByDirective : Directive
    {
        public new const string Name = "specifiedBy";

        public SpecifiedByDirective() : base(Name, DirectiveLocation.Scalar)
        {
            Description = "Exposes a URL that specifies the behaviour of this scalar.";
            Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<StringGraphType>> { Name = "url", Description = "The URL that specifies the behaviour of this scalar." });
        }

        public static string? Url(ScalarGraphType scalar) => scalar.FindAppliedDirective(Name)?.FindArgument("url")?.Value as string;
    }
}
