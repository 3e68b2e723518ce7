using GraphQL.DI;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Outside Development, no error carries an exception's message, type or stack, whatever it held.</summary>
public sealed class ErrorLeakTests
{
    private static readonly string[] Internals = ["SQLite", "no such table", "/work/", "   at ", "Exception", "connection string", "Password="];

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task A_database_error_leaks_no_sql_no_path_and_no_stack(string environment)
    {
        await using var app = new KnowledgeGraphApp
        {
            EnvironmentName = environment,
            TestServices = services => services.AddSingleton<IConfigureSchema>(new TestField("leaky", _ =>
                throw new SqliteException("SQLite Error 1: 'no such table: entities' in /work/data/kg.db; Password=hunter2", 1))),
        };

        var response = await app.PostAsync("{ leaky }");

        Assert.Equal(["INTERNAL_SERVER_ERROR"], response.ErrorCodes);
        foreach (var secret in Internals)
        {
            Assert.DoesNotContain(secret, response.Body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Limit_and_request_errors_name_the_limit_not_the_code_that_enforced_it()
    {
        await using var app = new KnowledgeGraphApp { EnvironmentName = "Production" };

        var deep = await app.PostAsync("{ " + string.Concat(Enumerable.Repeat("a { ", 300)) + new string('}', 301));
        var large = await app.PostRawAsync("{\"query\":\"" + new string(' ', 2 * 1024 * 1024) + "\"}");

        foreach (var response in new[] { deep, large })
        {
            foreach (var secret in Internals)
            {
                Assert.DoesNotContain(secret, response.Body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
