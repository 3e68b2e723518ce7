using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Types;
using KnowledgeGraph.Api.Live;
using KnowledgeGraph.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Live updates over WebSocket (<c>graphql-transport-ws</c> at <c>/graphql</c>): every committed change, on any API
/// instance, filtered here before anything is resolved, so a subscriber pays only for the events it asked for.
/// </summary>
public sealed class SubscriptionType : ObjectGraphType
{
    /// <summary>The longest list a filter argument may hold.</summary>
    public const int MaxFilterValues = 100;

    public SubscriptionType()
    {
        Name = "Subscription";
        Description = "Live updates: changes to entities and relationships as writes commit, over WebSocket (graphql-transport-ws) at /graphql.";

        Field<NonNullGraphType<EntityChangeType>, GraphChange>("entityChanged")
            .Description("An event each time a write creates, updates or retracts an entity. Every filter given must match; none means every entity.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("keys", $"Only these entities, by key (at most {MaxFilterValues}).")
            .Argument<ListGraphType<NonNullGraphType<EntityKindEnumType>>>("kinds", "Only entities of these kinds.")
            .ResolveStream(context =>
            {
                var keys = Set(context, "keys");
                var kinds = context.GetArgument<List<EntityKind>?>("kinds")?.ToHashSet();
                return Hub(context).Where(c => c.Type == RecordType.Entity
                    && (keys is null || keys.Contains(c.Key))
                    && (kinds is null || (c.Kind is { } kind && kinds.Contains(kind))));
            });

        Field<NonNullGraphType<RelationshipChangeType>, GraphChange>("relationshipChanged")
            .Description("An event each time a write creates, updates or retracts a relationship. Every filter given must match; none means every relationship.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("keys", $"Only these relationships, by key (at most {MaxFilterValues}).")
            .Argument<ListGraphType<NonNullGraphType<RelationshipTypeEnumType>>>("types", "Only relationships of these types.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("entityKeys", $"Only relationships that start or end at one of these entities, by key (at most {MaxFilterValues}).")
            .ResolveStream(context =>
            {
                var keys = Set(context, "keys");
                var types = context.GetArgument<List<RelationshipType>?>("types")?.ToHashSet();
                var entityKeys = Set(context, "entityKeys");
                return Hub(context).Where(c => c.Type == RecordType.Relationship
                    && (keys is null || keys.Contains(c.Key))
                    && (types is null || (c.RelationshipType is { } type && types.Contains(type)))
                    && (entityKeys is null || (c.From is not null && entityKeys.Contains(c.From)) || (c.To is not null && entityKeys.Contains(c.To))));
            });
    }

    private static GraphChangeHub Hub(IResolveFieldContext context) =>
        (context.RequestServices ?? throw new InvalidOperationException("The request has no service provider."))
            .GetRequiredService<GraphChangeHub>();

    private static HashSet<string>? Set(IResolveFieldContext context, string argument)
    {
        var values = context.GetArgument<List<string>?>(argument);
        if (values is { Count: > MaxFilterValues })
        {
            throw GraphErrors.BadInput($"'{argument}' may hold at most {MaxFilterValues} values.");
        }

        return values?.ToHashSet(StringComparer.Ordinal);
    }
}
