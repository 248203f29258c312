using GaugeNN.Api;
using GaugeNN.Api.Limits;
using GaugeNN.Api.Schema.Connections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>The served schema against its checked-in SDL, and the budget's knowledge of every list in it.</summary>
public sealed class ApiSchemaTests
{
    public static string SdlFile => Path.Combine(Repo.Root, "schemas", "graphql", "schema.graphql");

    /// <summary>The schema exactly as the host builds it (no warehouse needed: nothing is read).</summary>
    public static ISchema Schema()
    {
        var services = new ServiceCollection();
        services.AddGaugeApi(new ReaderPool(Path.Combine(Path.GetTempPath(), "gaugenn-schema-only.duckdb")));
        var schema = services.BuildServiceProvider().GetRequiredService<ISchema>();
        schema.Initialize();
        return schema;
    }

    public static string Print(ISchema schema) =>
        schema.Print(new PrintOptions { IncludeDescriptions = true, StringComparison = StringComparison.Ordinal }).ReplaceLineEndings("\n").TrimEnd() + "\n";

    [Fact]
    public void the_served_schema_equals_the_checked_in_sdl()
    {
        string served = Print(Schema());
        if (Environment.GetEnvironmentVariable("GAUGENN_UPDATE_SCHEMA") == "1") File.WriteAllText(SdlFile, served);
        string checkedIn = File.ReadAllText(SdlFile).ReplaceLineEndings("\n");
        Assert.True(served == checkedIn,
            $"the served schema differs from {SdlFile}; if the change is meant, rewrite it with GAUGENN_UPDATE_SCHEMA=1 and commit it.\n"
            + FirstDifference(checkedIn, served));
    }

    [Fact]
    public void every_list_outside_a_connection_declares_how_long_it_can_be()
    {
        var undeclared = new List<string>();
        foreach (var type in Schema().AllTypes.OfType<IObjectGraphType>().Where(t => !t.Name.StartsWith("__", StringComparison.Ordinal)))
            foreach (var field in type.Fields)
            {
                var resolved = field.ResolvedType is NonNullGraphType n ? n.ResolvedType : field.ResolvedType;
                if (resolved is not ListGraphType) continue;
                if (type is IConnectionGraphType && field.Name == "edges") continue;
                if (ListSize.Of(field) is null) undeclared.Add($"{type.Name}.{field.Name}");
            }
        Assert.Empty(undeclared);
    }

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
            if (i >= a.Length || i >= b.Length || a[i] != b[i])
                return $"first difference at line {i + 1}:\n  checked in: {(i < a.Length ? a[i] : "(end)")}\n  served:     {(i < b.Length ? b[i] : "(end)")}";
        return "";
    }
}
