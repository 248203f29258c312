using System.Security.Cryptography;
using GaugeNN.Integration.Tests;
using Xunit;

namespace GaugeNN.Browser.Tests;

/// <summary>
/// The committed front-end build (src/Api/Web/dist) is the one its committed sources make, and it is what the host
/// serves: nobody has to run npm, and nobody is served a stale page.
/// </summary>
public sealed class FrontEndBuildTests
{
    private static string Web => Path.Combine(Repo.Root, "src", "Api", "Web");

    /// <summary>The sources as tools/build-plugins.js lists them: every file but node_modules, dist and dot-entries.</summary>
    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).SelectMany(entry =>
        {
            string name = Path.GetFileName(entry);
            if (name.StartsWith('.')) return [];
            if (Directory.Exists(entry)) return name is "node_modules" or "dist" ? [] : Sources(entry);
            return [Path.GetRelativePath(Web, entry).Replace(Path.DirectorySeparatorChar, '/')];
        });

    [Fact]
    public void the_committed_build_records_the_digest_of_every_source_it_was_built_from()
    {
        var recorded = File.ReadAllLines(Path.Combine(Web, "dist", "SOURCES.sha256"));
        var actual = Sources(Web).Order(StringComparer.Ordinal)
            .Select(file => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Web, file))))}  {file}");
        Assert.True(recorded.SequenceEqual(actual),
            "src/Api/Web/dist was built from other sources than these: run src/Api/Web/build.sh and commit dist/.\n"
            + string.Join("\n", actual.Except(recorded).Select(l => "now:        " + l[66..])
                .Concat(recorded.Except(actual).Select(l => "built from: " + l[66..]))));
    }

    [Fact]
    public void the_host_embeds_every_file_of_the_build_byte_for_byte()
    {
        var assembly = typeof(GaugeNN.Api.GaugeApi).Assembly;
        string dist = Path.Combine(Web, "dist");
        var files = Directory.EnumerateFiles(dist, "*", SearchOption.AllDirectories)
            .Select(f => "dist/" + Path.GetRelativePath(dist, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("dist/index.html", files);
        Assert.Contains("dist/graphiql.html", files);
        Assert.Contains("dist/THIRD-PARTY-LICENSES.txt", files);
        Assert.Equal(files, assembly.GetManifestResourceNames().Where(n => n.StartsWith("dist/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (string name in files)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.True(copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Web, name))), $"{name} differs from the embedded copy");
        }
    }

    [Fact]
    public void the_licence_file_names_every_package_in_the_lockfile_that_the_pages_bundle()
    {
        string licences = File.ReadAllText(Path.Combine(Web, "dist", "THIRD-PARTY-LICENSES.txt"));
        foreach (string package in new[] { "graphiql", "react", "react-dom", "graphql", "@observablehq/plot", "codemirror", "d3-scale" })
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(package)} \d+\.\d+\.\d+ — \S+", licences);
        Assert.DoesNotContain("— not declared", licences);
    }
}
