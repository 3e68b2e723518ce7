using System.Text.Json;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using KnowledgeGraph.Api.GraphQL;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>
/// <see cref="CollectedFieldsExecutionStrategy"/> resolves scalar fields itself: every kind of leaf must answer as
/// GraphQL.NET's own parallel strategy answers it, errors and what the resolver reads of its context included. A
/// schema of its own holds the cases the product's schema has no example of (a leaf that throws, a null where none
/// may be, a leaf still pending).
/// </summary>
public sealed class LeafFieldsTests
{
    private static readonly ISchema Schema = BuildSchema();

    // Each query, and a piece of its answer that shows the leaves ran.
    public static TheoryData<string, string> Queries => new()
    {
        { "{ items { name count kind greet(who: \"Ada\") where user } }", "\"greet\":\"hello Ada from b\"" },
        { "{ items { refused } }", "\"message\":\"refused for b\"" },
        { "{ items { broken } }", "\"message\":\"Error trying to resolve field \\u0027broken\\u0027.\"" },
        { "{ items { missing } }", "\"path\":[\"items\",1,\"missing\"]" },
        { "{ item(name: \"b\") { name missing } }", "\"data\":{\"item\":null}" },
        { "{ items { later loaded lateLoaded name } }", "\"lateLoaded\":\"c loaded later\"" },
        { "{ items { a: where b: where tags name } }", "\"b\":\"Item items/2/where items/2/b items False b   c\"" },
        { "{ item(name: \"a\") { name inner { where name } } }", "\"name\":\"a inner\"" },
        { "{ items { wrongType } }", "\"wrongType\":3" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task A_leaf_answers_as_GraphQL_NET_own_strategy_answers_it(string query, string expected)
    {
        var ours = await ExecuteAsync(new CollectedFieldsExecutionStrategy(), query);
        var theirs = await ExecuteAsync(ParallelExecutionStrategy.Instance, query);

        Assert.Equal(theirs, ours);
        Assert.True(ours.Contains(expected, StringComparison.Ordinal), ours);
    }

    [Fact]
    public async Task A_leaf_reads_its_own_context_even_after_thousands_of_others_on_the_same_thread()
    {
        var query = "{ items { where } many { where } items2: items { where name } }";

        var ours = await ExecuteAsync(new CollectedFieldsExecutionStrategy(), query);
        var theirs = await ExecuteAsync(ParallelExecutionStrategy.Instance, query);

        Assert.Equal(theirs, ours);
        Assert.Contains("Item items/1/where items/1/where items", ours, StringComparison.Ordinal);
        Assert.Contains("Item many/1999/where many/1999/where many", ours, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_request_stops_at_a_leaf()
    {
        using var cancel = new CancellationTokenSource();
        var options = Options(new CollectedFieldsExecutionStrategy(), "{ items { cancel name } }");
        options.CancellationToken = cancel.Token;
        options.UserContext["cancel"] = cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Executer(options).ExecuteAsync(options));
    }

    private static async Task<string> ExecuteAsync(IExecutionStrategy strategy, string query)
    {
        var options = Options(strategy, query);
        var result = await Executer(options).ExecuteAsync(options);
        return new GraphQLSerializer().Serialize(result);
    }

    private static ExecutionOptions Options(IExecutionStrategy strategy, string query) => new()
    {
        Schema = Schema,
        Query = query,
        UserContext = new Dictionary<string, object?> { ["tag"] = "from the request", ["strategy"] = strategy },
        ThrowOnUnhandledException = false,
    };

    private static DocumentExecuter Executer(ExecutionOptions options) => new(
        new GraphQLDocumentBuilder(),
        new DocumentValidator(),
        new DefaultExecutionStrategySelector([new ExecutionStrategyRegistration((IExecutionStrategy)options.UserContext["strategy"]!, OperationType.Query)]),
        []);

    private static global::GraphQL.Types.Schema BuildSchema()
    {
        var schema = new global::GraphQL.Types.Schema { Query = new QueryType() };
        schema.Initialize();
        return schema;
    }

    private sealed record Item(string Name, int? Count, ItemKind Kind);

    private enum ItemKind
    {
        Plain,
        Special,
    }

    private sealed class Loaded(object? value) : IDataLoaderResult
    {
        public Task<object?> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);
    }

    private sealed class ItemType : ObjectGraphType<Item>
    {
        public ItemType()
        {
            Name = "Item";
            Field(i => i.Name);
            Field(i => i.Count, nullable: true);
            Field<EnumerationGraphType<ItemKind>>("kind").Resolve(c => c.Source.Kind);
            Field<StringGraphType>("greet").Argument<StringGraphType>("who").Resolve(c => $"hello {c.GetArgument<string>("who")} from {c.Source.Name}");
            Field<StringGraphType>("where").Resolve(c =>
                $"{c.ParentType.Name} {string.Join('/', c.Path)} {string.Join('/', c.ResponsePath)} {c.Parent?.FieldDefinition.Name} {c.Parent?.Source is null} {c.FieldAst.Alias?.Name} {c.Arguments?.Count} {c.SubFields?.Count} {c.Source.Name}");
            Field<StringGraphType>("user").Resolve(c => c.UserContext["tag"]);
            Field<StringGraphType>("refused").Resolve(c => c.Source.Name == "b" ? throw new ExecutionError("refused for b") : "granted");
            Field<StringGraphType>("broken").Resolve(c => c.Source.Name == "a" ? throw new InvalidOperationException("broken for a") : "whole");
            Field<NonNullGraphType<StringGraphType>>("missing").Resolve(c => c.Source.Name == "b" ? null : "present");
            Field<StringGraphType>("later").ResolveAsync(async c =>
            {
                await Task.Yield();
                return $"{c.Source.Name} later";
            });
            Field<StringGraphType>("loaded").Resolve(c => new Loaded($"{c.Source.Name} loaded"));
            Field<StringGraphType>("lateLoaded").ResolveAsync(async c =>
            {
                await Task.Yield();
                return new Loaded($"{c.Source.Name} loaded later");
            });
            Field<IntGraphType>("wrongType").Resolve(c => c.Source.Name == "a" ? "not a number" : 3);
            Field<ListGraphType<StringGraphType>>("tags").Resolve(c => new[] { c.Source.Name, "tag" });
            Field<ItemType>("inner").Resolve(c => c.Source with { Name = c.Source.Name + " inner" });
            Field<StringGraphType>("cancel").Resolve(c =>
            {
                ((CancellationTokenSource)c.UserContext["cancel"]!).Cancel();
                c.CancellationToken.ThrowIfCancellationRequested();
                return "not cancelled";
            });
        }
    }

    private sealed class QueryType : ObjectGraphType
    {
        private static readonly Item[] Items = [new("a", 1, ItemKind.Plain), new("b", null, ItemKind.Special), new("c", 3, ItemKind.Plain)];

        public QueryType()
        {
            Name = "Query";
            Field<ListGraphType<ItemType>>("items").Resolve(_ => Items);
            Field<ListGraphType<ItemType>>("many").Resolve(_ => Enumerable.Range(0, 2000).Select(i => new Item($"m{i}", i, ItemKind.Plain)).ToList());
            Field<ItemType>("item").Argument<StringGraphType>("name").Resolve(c => Items.FirstOrDefault(i => i.Name == c.GetArgument<string>("name")));
        }
    }
}
