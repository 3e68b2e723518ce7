using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>
/// The validator's shorter way for an already validated document gives exactly what GraphQL.NET's validator gives:
/// the same coerced variables, the same argument values for the same fields, and GraphQL.NET's own errors when the
/// variables do not coerce. Each document is validated by both, on the same schema and document object.
/// </summary>
public sealed class PlannedArgumentValidatorTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly KnowledgeGraphApp _app = new() { Settings = [("Cache:Enabled", "false")] };
    private readonly GraphQLSerializer _json = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string> Planned => new()
    {
        { "query($key: String!) { entity(key: $key) { key name kind } }", """{ "key": "whatsapp" }""" },
        {
            """
            query Pages($first: Int, $kinds: [EntityKind!], $text: String = "tele") {
              entities(first: $first, kinds: $kinds, where: { OR: [{ name: { contains: $text } }, { key: { in: ["signal", "x"] } }] }) {
                edges { node { key relationships(first: 3) { edges { node { type citations { excerpt } } } } } }
              }
              literal: entities(first: 2, where: { kind: { eq: APP } }) { totalCount }
            }
            """,
            """{ "first": 4, "kinds": "APP" }"""
        },
        {
            "query($first: Int) { entities(first: $first) { totalCount } }",
            "{}"
        },
        {
            """
            query($from: String!, $to: String!) {
              path(from: $from, to: $to, maxHops: 3) { length steps { from { ...names } to { ... on App { key } } } }
            }
            fragment names on Entity { name key relationships(first: 1) { totalCount } }
            """,
            """{ "from": "elon-musk", "to": "whatsapp" }"""
        },
        { """{ __type(name: "Entity") { name fields { name } } search(text: "signal") { score } }""", "{}" },
        { """query($where: EntityFilter) { entities(where: $where, first: 1) { totalCount } }""", """{ "where": { "NOT": { "kind": { "in": ["PERSON", "APP"] } } } }""" },
    };

    public static TheoryData<string, string> Unplanned => new()
    {
        // A directive has values of its own, and with two operations only the chosen one's arguments are read.
        { "query($skip: Boolean!) { entity(key: \"whatsapp\") { key name @skip(if: $skip) } }", """{ "skip": true }""" },
        { "query A { entity(key: \"whatsapp\") { key } } query B { entity(key: \"signal\") { name } }", "{}" },
    };

    [Theory]
    [MemberData(nameof(Planned))]
    public async Task A_planned_document_gets_the_variables_and_arguments_GraphQL_NET_gives_it(string query, string variables)
    {
        var (validator, document) = await PlannedAsync(query, variables, expectUsable: true);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(await DescribeAsync(new DocumentValidator(), document, variables), await DescribeAsync(validator, document, variables));
        }
    }

    [Theory]
    [MemberData(nameof(Unplanned))]
    public async Task A_document_the_plan_cannot_serve_is_validated_by_GraphQL_NET_every_time(string query, string variables)
    {
        var (validator, document) = await PlannedAsync(query, variables, expectUsable: false);

        Assert.Equal(await DescribeAsync(new DocumentValidator(), document, variables), await DescribeAsync(validator, document, variables));
    }

    [Theory]
    [InlineData("""{ "key": null }""")]
    [InlineData("{}")]
    [InlineData("""{ "key": ["a", "b"] }""")]
    public async Task Variables_that_do_not_coerce_get_GraphQL_NET_own_errors_on_a_planned_document(string variables)
    {
        var (validator, document) = await PlannedAsync("query($key: String!) { entity(key: $key) { key } }", """{ "key": "whatsapp" }""", expectUsable: true);

        var planned = await DescribeAsync(validator, document, variables);

        Assert.Equal(await DescribeAsync(new DocumentValidator(), document, variables), planned);
        Assert.StartsWith("errors:", planned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_of_literals_are_read_once_and_arguments_of_variables_on_every_request()
    {
        const string Query = "query($key: String!) { entity(key: $key) { key relationships(first: 2) { totalCount } } }";
        var (validator, document) = await PlannedAsync(Query, """{ "key": "whatsapp" }""", expectUsable: true);

        var plan = validator.PlanOf(document)!;
        var first = await ValidateAsync(validator, document, """{ "key": "whatsapp" }""");
        var second = await ValidateAsync(validator, document, """{ "key": "signal" }""");

        Assert.Equal(2, plan.FieldCount);
        Assert.Equal(1, plan.SharedFieldCount);
        var entity = Field(document, "entity");
        var relationships = Field(document, "relationships");
        Assert.Equal("whatsapp", first.ArgumentValues![entity]["key"].Value);
        Assert.Equal("signal", second.ArgumentValues![entity]["key"].Value);
        Assert.Same(first.ArgumentValues[relationships], second.ArgumentValues![relationships]);
    }

    [Fact]
    public async Task The_same_document_with_other_variables_answers_for_those_variables_over_HTTP()
    {
        const string Query = "query($key: String!) { entity(key: $key) { key } }";

        foreach (var key in new[] { "whatsapp", "signal", "telegram", "whatsapp" })
        {
            var response = await _app.PostAsync(Query, new { key });

            Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
            Assert.Equal(key, response.Data.GetProperty("entity").GetProperty("key").GetString());
        }
    }

    /// <summary>A validator that has seen the document once with no rules (as a cached document is), so it has its plan.</summary>
    private async Task<(PlannedArgumentValidator Validator, GraphQLDocument Document)> PlannedAsync(string query, string variables, bool expectUsable)
    {
        var validator = new PlannedArgumentValidator();
        var document = new GraphQLDocumentBuilder().Build(query);
        var first = await ValidateAsync(validator, document, variables);

        Assert.True(first.IsValid, string.Join("; ", first.Errors.Select(e => e.Message)));
        Assert.Equal(expectUsable, validator.PlanOf(document)?.IsUsable);
        return (validator, document);
    }

    private async Task<IValidationResult> ValidateAsync(IDocumentValidator validator, GraphQLDocument document, string variables) =>
        await validator.ValidateAsync(new ValidationOptions
        {
            Schema = _app.Services.GetRequiredService<ISchema>(),
            Document = document,
            Operation = document.Definitions.OfType<GraphQLOperationDefinition>().First(),
            Rules = [],
            Variables = _json.Deserialize<Inputs>(variables) ?? Inputs.Empty,
            Extensions = Inputs.Empty,
            UserContext = new Dictionary<string, object?>(),
            Metrics = GraphQL.Instrumentation.Metrics.None,
        });

    /// <summary>Everything a validation result hands to execution, as text: errors, or variables and argument values by field.</summary>
    private async Task<string> DescribeAsync(IDocumentValidator validator, GraphQLDocument document, string variables)
    {
        var result = await ValidateAsync(validator, document, variables);
        var text = new StringBuilder();
        if (!result.IsValid)
        {
            return "errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.Code} {e.Message} at {string.Join(",", e.Locations?.Select(l => $"{l.Line}:{l.Column}") ?? [])}"));
        }

        foreach (var variable in result.Variables ?? Variables.None)
        {
            text.Append(CultureInfo.InvariantCulture, $"${variable.Name}={Json(variable.Value)} default={variable.IsDefault} specified={variable.ValueSpecified}\n");
        }

        foreach (var (field, arguments) in (result.ArgumentValues ?? new Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>()).OrderBy(f => f.Key.Location.Start))
        {
            text.Append(CultureInfo.InvariantCulture, $"{field.Name.StringValue}@{field.Location.Start}:");
            foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $" {name}={Json(value.Value)}/{value.Source}");
            }

            text.Append('\n');
        }

        foreach (var (node, directives) in result.DirectiveValues ?? new Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>())
        {
            text.Append(CultureInfo.InvariantCulture, $"directives@{node.Location.Start}: {string.Join(",", directives.Keys)}\n");
        }

        return text.ToString();
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    private static GraphQLField Field(GraphQLDocument document, string name)
    {
        var pending = new Stack<ASTNode>(document.Definitions);
        while (pending.TryPop(out var node))
        {
            if (node is GraphQLField field && field.Name.StringValue == name)
            {
                return field;
            }

            if (node is IHasSelectionSetNode { SelectionSet: { } set })
            {
                foreach (var selection in set.Selections)
                {
                    pending.Push(selection);
                }
            }
        }

        throw new InvalidOperationException($"no field {name}");
    }
}
