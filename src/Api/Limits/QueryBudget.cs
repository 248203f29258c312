using GaugeNN.Api.Schema.Connections;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Limits;

/// <summary>
/// Prices a query before anything is read: walks the operation (fragments expanded, @skip/@include honoured) and
/// estimates how many values the answer could hold — each field counts once for every item of every list around
/// it, a connection's edges as many as its <c>first</c>, an unpaged list as long as its field declares
/// (<see cref="ListSize"/>). Data and introspection are priced apart: introspection lists are as long as the
/// schema's own (types, fields, arguments), so the standard introspection query passes while a self-nesting one
/// does not. Refuses, with a message each: too deep, too many fields, too big an answer, a page size out of range,
/// too many points in time. The walk stops as soon as the field cap is passed, so pricing a hostile document
/// (fragments that double at each level) costs no more than the cap.
/// </summary>
public sealed class QueryBudget(ApiLimits limits) : ValidationRuleBase
{
    private const double UndeclaredListSize = 20;

    public override ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        if (!context.HasErrors)
        {
            var sizes = context.RequestServices?.GetService<Schema.WarehouseFacts>()?.Sizes() ?? new ListSizes(1, 1);
            var cost = Price(context, limits, sizes);
            foreach (var error in cost.Errors(limits)) context.ReportError(new ValidationError(error) { Code = "BUDGET" });
            if (context.UserContext is { } user) user[nameof(QueryCost)] = cost;
        }
        return default;
    }

    /// <summary>The price of the context's operation (exposed for tests that check every list declares its size).</summary>
    public static QueryCost Price(ValidationContext context, ApiLimits limits, ListSizes sizes)
    {
        var walk = new Walk(context, limits, sizes, IntrospectionSizes.Of(context.Schema));
        walk.Selections(context.Operation.SelectionSet, context.Schema.Query, 0, 1, introspection: false, page: 1, []);
        return walk.Cost;
    }

    private sealed class Walk(ValidationContext context, ApiLimits limits, ListSizes sizes, IntrospectionSizes introspectionSizes)
    {
        public QueryCost Cost { get; } = new();

        public void Selections(GraphQLSelectionSet? set, IGraphType? parent, int depth, double multiplier, bool introspection, double page,
            List<GraphQLFragmentDefinition> fragments)
        {
            if (set is null || parent is null) return;
            foreach (var selection in set.Selections)
            {
                if (Cost.Fields > limits.MaxFields) return;
                switch (selection)
                {
                    case GraphQLField field when context.ShouldIncludeNode(field):
                        Field(field, parent, depth, multiplier, introspection, page, fragments);
                        break;
                    case GraphQLInlineFragment inline when context.ShouldIncludeNode(inline):
                        var type = inline.TypeCondition is null ? parent : context.Schema.AllTypes[inline.TypeCondition.Type.Name.Value];
                        Selections(inline.SelectionSet, type, depth, multiplier, introspection, page, fragments);
                        break;
                    case GraphQLFragmentSpread spread when context.ShouldIncludeNode(spread):
                        var definition = context.Document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.Value == spread.FragmentName.Name.Value);
                        if (definition is null || fragments.Contains(definition)) break;
                        fragments.Add(definition);
                        Selections(definition.SelectionSet, context.Schema.AllTypes[definition.TypeCondition.Type.Name.Value], depth, multiplier,
                            introspection, page, fragments);
                        fragments.RemoveAt(fragments.Count - 1);
                        break;
                }
            }
        }

        private void Field(GraphQLField field, IGraphType parent, int depth, double multiplier, bool introspection, double page,
            List<GraphQLFragmentDefinition> fragments)
        {
            string name = field.Name.StringValue;
            var schema = context.Schema;
            FieldType? definition = name switch
            {
                "__typename" => schema.TypeNameMetaFieldType,
                "__schema" when parent == schema.Query => schema.SchemaMetaFieldType,
                "__type" when parent == schema.Query => schema.TypeMetaFieldType,
                _ => (parent as IComplexGraphType)?.GetField(name),
            };
            if (definition is null) return;
            introspection |= name is "__schema" or "__type";
            Cost.Fields++;
            int level = depth + 1;
            if (introspection)
            {
                Cost.IntrospectionDepth = Math.Max(Cost.IntrospectionDepth, level);
                Cost.IntrospectionComplexity += multiplier;
            }
            else if (name != "__typename")
            {
                Cost.Depth = Math.Max(Cost.Depth, level);
                Cost.Complexity += multiplier;
            }

            var arguments = context.ArgumentValues?.GetValueOrDefault(field);
            object? Argument(string argument) =>
                arguments?.TryGetValue(argument, out var value) == true ? value.Value : definition.Arguments?.Find(argument)?.DefaultValue;
            if (!introspection && (PointInTimeMark.Of(definition) || Argument("asOf") is not null)) Cost.PointsInTime++;

            var type = definition.ResolvedType;
            if (type is NonNullGraphType nonNull) type = nonNull.ResolvedType;
            double factor = 1;
            if (type is ListGraphType list)
            {
                factor = introspection ? introspectionSizes.For(name)
                    : parent is IConnectionGraphType && name == "edges" ? page
                    : ListSize.Of(definition)?.Invoke(sizes) ?? Undeclared(parent, name);
                type = list.ResolvedType is NonNullGraphType item ? item.ResolvedType : list.ResolvedType;
            }
            double childPage = page;
            if (type is IConnectionGraphType && Argument("first") is int first)
            {
                if (first is < 1 or > Paging.MaxPage) Cost.BadPages.Add($"first must be between 1 and {Paging.MaxPage} (got {first}) at {name}");
                childPage = Math.Clamp(first, 1, Paging.MaxPage);
            }
            Selections(field.SelectionSet, type?.GetNamedType(), level, multiplier * Math.Max(1, factor), introspection, childPage, fragments);
        }

        private double Undeclared(IGraphType parent, string name)
        {
            Cost.UndeclaredLists.Add($"{parent.Name}.{name}");
            return UndeclaredListSize;
        }
    }

    /// <summary>
    /// The lengths of the introspection lists of one schema, from its own counts: a list's mean length over its
    /// parents (fields per type, arguments per field), so the standard introspection query is priced at about its real
    /// answer, while a query nesting types in fields in types still multiplies and is refused.
    /// </summary>
    private sealed record IntrospectionSizes(double Types, double Fields, double Arguments, double InputFields, double EnumValues,
        double Implementations, double Directives)
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ISchema, IntrospectionSizes> Cache = [];

        public static IntrospectionSizes Of(ISchema schema) => Cache.GetValue(schema, s =>
        {
            var types = s.AllTypes.ToList();
            var fields = types.OfType<IComplexGraphType>().SelectMany(t => t.Fields).ToList();
            double perType(int total) => Math.Max(1, Math.Ceiling(total / (double)types.Count));
            return new IntrospectionSizes(types.Count,
                perType(types.OfType<IObjectGraphType>().Sum(t => t.Fields.Count) + types.OfType<IInterfaceGraphType>().Sum(t => t.Fields.Count)),
                Math.Max(1, Math.Ceiling((fields.Sum(f => f.Arguments?.Count ?? 0) + s.Directives.Sum(d => d.Arguments?.Count ?? 0))
                    / (double)Math.Max(1, fields.Count + s.Directives.Count))),
                perType(types.OfType<IInputObjectGraphType>().Sum(t => t.Fields.Count)),
                perType(types.OfType<EnumerationGraphType>().Sum(t => t.Values.Count)),
                perType(types.OfType<IAbstractGraphType>().Sum(t => t.PossibleTypes.Count) + types.OfType<IImplementInterfaces>().Sum(t => t.ResolvedInterfaces.Count)),
                s.Directives.Count);
        });

        public double For(string field) => field switch
        {
            "types" => Types,
            "fields" => Fields,
            "args" => Arguments,
            "inputFields" => InputFields,
            "enumValues" => EnumValues,
            "interfaces" or "possibleTypes" => Implementations,
            "directives" => Directives,
            "locations" => 19,
            _ => UndeclaredListSize,
        };
    }
}

/// <summary>What a query costs by the budget's measure.</summary>
public sealed class QueryCost
{
    public int Fields { get; set; }
    public int Depth { get; set; }
    public int IntrospectionDepth { get; set; }
    public double Complexity { get; set; }
    public double IntrospectionComplexity { get; set; }
    public int PointsInTime { get; set; }
    public List<string> BadPages { get; } = [];

    /// <summary>List fields that declare no length (priced at a default); the schema test holds this empty.</summary>
    public List<string> UndeclaredLists { get; } = [];

    public IEnumerable<string> Errors(ApiLimits limits)
    {
        if (Fields > limits.MaxFields)
            yield return $"query selects more than {limits.MaxFields} fields (each alias and each use of a fragment counts); split it";
        if (Depth > limits.MaxDepth)
            yield return $"query is too deep: {Depth} levels of fields, at most {limits.MaxDepth}";
        if (IntrospectionDepth > limits.MaxIntrospectionDepth)
            yield return $"introspection is too deep: {IntrospectionDepth} levels of fields, at most {limits.MaxIntrospectionDepth}";
        if (Complexity > limits.MaxComplexity)
            yield return $"query is too big: its answer could hold about {Complexity:N0} values, at most {limits.MaxComplexity:N0} " +
                         "(page sizes and list lengths multiply); ask for smaller pages or fewer fields";
        if (IntrospectionComplexity > limits.MaxIntrospectionComplexity)
            yield return $"introspection is too big: its answer could hold about {IntrospectionComplexity:N0} values, at most {limits.MaxIntrospectionComplexity:N0}";
        foreach (var page in BadPages.Distinct()) yield return page;
        if (PointsInTime > limits.MaxPointsInTime)
            yield return $"query asks for {PointsInTime} points in time (asOf arguments and churn pairs), at most {limits.MaxPointsInTime}";
    }
}
