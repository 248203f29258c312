using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaugeNN.Tests.Shared;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;
using Xunit;

namespace GaugeNN.Integration.Tests;

/// <summary>
/// Each lake dataset's schema is checked in under schemas/warehouse/ (TABLE.json, machine-readable, and README.md, in
/// prose), generated from the tables' one declaration: a test fails when a declaration drifts from them.
/// </summary>
public sealed class LakeSchemaTests
{
    private static string Folder => Path.Combine(RepositoryRoot.Path, "schemas", "warehouse");

    public static TheoryData<string> Tables() => [.. WarehouseSchema.Tables.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Tables))]
    public void each_table_s_checked_in_schema_equals_its_declaration(string name)
    {
        var table = WarehouseSchema.Table(name);
        var declared = new JsonObject
        {
            ["table"] = table.Name,
            ["lakeVersion"] = WarehouseSchema.LakeVersion,
            ["meaning"] = table.Meaning,
            ["partitionedBy"] = table.PartitionColumn,
            ["recomputedBy"] = table.Scope.ToString(),
            ["layout"] = table.PartitionColumn is null ? $"{table.Name}/part-0.parquet" : $"{table.Name}/{table.PartitionColumn}=VALUE/part-0.parquet",
            ["columns"] = new JsonArray(table.Columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["duckdbType"] = c.Type,
                ["inFile"] = c.Name != table.PartitionColumn,
                ["meaning"] = c.Meaning,
            }).ToArray()),
        };
        string file = Path.Combine(Folder, table.Name + ".json");
        string text = declared.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        AssertCheckedIn(file, text);
    }

    [Fact]
    public void the_prose_schema_lists_every_table_and_column_as_declared()
    {
        var text = new StringBuilder();
        text.AppendLine("# The lake's tables (generated from their declarations; a test checks this file)");
        text.AppendLine();
        text.AppendLine($"Lake version {WarehouseSchema.LakeVersion} (in every Parquet file's key-value metadata as `gaugenn_lake_version`). " +
                        "Each table is a dataset: `TABLE/snapshot=VALUE/part-0.parquet` (hive layout, the partition value percent-escaped) " +
                        "when it has a snapshot partition, `TABLE/part-0.parquet` otherwise; an empty partitioned table is one file under " +
                        $"`snapshot={LakeExporter.EmptyPartition}`. `TABLE.json` beside this file gives the same in machine-readable form.");
        foreach (var table in WarehouseSchema.Tables)
        {
            text.AppendLine();
            text.AppendLine($"## {table.Name}");
            text.AppendLine();
            text.AppendLine($"{table.Meaning} Recomputed per {table.Scope.ToString().ToLowerInvariant()}" +
                            (table.PartitionColumn is null ? "." : $"; partitioned by `{table.PartitionColumn}`."));
            text.AppendLine();
            text.AppendLine("| column | type | meaning |");
            text.AppendLine("|---|---|---|");
            foreach (var c in table.Columns) text.AppendLine($"| `{c.Name}` | `{c.Type}` | {c.Meaning} |");
        }
        AssertCheckedIn(Path.Combine(Folder, "README.md"), text.ToString());
    }

    private static void AssertCheckedIn(string file, string generated)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, generated);
            Assert.Fail($"wrote {file}: review it and commit it");
        }
        Assert.True(File.ReadAllText(file) == generated,
            $"{file} no longer matches the table declarations: delete it and run the test to regenerate it (and raise WarehouseSchema.LakeVersion when columns changed)");
    }
}
