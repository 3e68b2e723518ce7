using System.Net;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Http;

public sealed class SchemaSdlTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task The_sdl_is_served_as_utf8_text_with_descriptions()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/graphql/schema.graphql");
        var sdl = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("type Query {", sdl, StringComparison.Ordinal);
        Assert.Contains("\"The entry points for reading the graph.\"", sdl, StringComparison.Ordinal);
    }

    /// <summary>
    /// The published contract, <c>schema/schema.graphql</c>, must equal what the server prints. After a deliberate
    /// schema change, regenerate it with <c>UPDATE_SCHEMA=1 dotnet test tests/KnowledgeGraph.IntegrationTests</c>
    /// and review the diff.
    /// </summary>
    [Fact]
    public async Task The_published_schema_file_matches_the_served_sdl()
    {
        using var client = app.CreateClient();
        // The file ends with a newline, as .editorconfig asks; line endings do not matter.
        var served = (await client.GetStringAsync("/graphql/schema.graphql")).ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        var path = Path.Combine(RepositoryRoot(), "schema", "schema.graphql");

        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_SCHEMA=1 to create it.");
        var published = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        Assert.True(
            published == served,
            $"schema/schema.graphql differs from the served SDL; if the change is intended, rerun with UPDATE_SCHEMA=1 and commit the file.\n--- served ---\n{served}");
    }

    [Fact]
    public void The_endpoint_prints_the_same_sdl_as_PrintSchema()
    {
        var schema = app.Services.GetRequiredService<ISchema>();

        var sdl = KnowledgeGraphSchema.Print(schema);

        Assert.StartsWith("\"A knowledge graph", sdl, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KnowledgeGraph.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No KnowledgeGraph.sln above {AppContext.BaseDirectory}.");
    }
}
