using System.Text.Encodings.Web;
using System.Text.Unicode;
using GraphQL;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Limits;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.GraphQL;

public static class GraphQLRegistration
{
    /// <summary>GraphQL.NET with the knowledge-graph schema. The HTTP transport is ours (see the Http folder).</summary>
    public static IServiceCollection AddKnowledgeGraphSchema(this IServiceCollection services)
    {
        services.AddScoped<Loading.GraphLoaders>();
        services.AddSingleton<Writes.GraphWriter>();
        // Registered before GraphQL.NET's own validator, which it wraps (GraphQL.NET only adds one when none is).
        services.AddSingleton<global::GraphQL.Validation.IDocumentValidator, PlannedArgumentValidator>();
        services.AddGraphQL(builder => builder
            .AddSchema<KnowledgeGraphSchema>()
            // Accented text (the sources are French) stays readable; HTML-sensitive characters are still escaped.
            .AddSystemTextJson(json =>
            {
                json.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
                // Answers written with their values straight to the writer; GraphQL.NET adds its own only when none is given.
                json.Converters.Add(new ExecutionResultConverter());
            })
            .AddGraphTypes(typeof(KnowledgeGraphSchema).Assembly)
            // Depth, size, cost, timeout and introspection limits (the Limits section).
            .AddQueryLimits()
            // An activity per execution with the operation's name and type; never the document or its variables.
            .UseTelemetry(telemetry => telemetry.RecordDocument = false)
            // A repeated document is parsed and validated once.
            .ConfigureExecution<ValidatedDocumentCache>()
            // Roles are checked for every document, cached or not (mutations for partners, history for admins).
            .AddValidationRule<Security.RoleAuthorizationRule>(useForCachedDocuments: true)
            // Queries collect each selection set's fields once per object type, not once per object.
            .AddExecutionStrategy<CollectedFieldsExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            // Each subscription event is resolved in a fresh scope: its own loaders, so it reads the record as it now stands.
            .AddScopedSubscriptionExecutionStrategy(serialExecution: false)
            // extensions.code on every error; exception messages and stack traces only in Development.
            .AddErrorInfoProvider(sp => new GraphQLErrorInfoProvider(
                sp.GetRequiredService<IHostEnvironment>().IsDevelopment(),
                sp.GetRequiredService<IOptions<LimitsOptions>>().Value.ShowSuggestions)));
        return services;
    }
}
