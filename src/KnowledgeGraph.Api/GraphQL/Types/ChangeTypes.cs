using System.Globalization;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Api.Live;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class ChangeOutcomeEnumType : EnumerationGraphType<ChangeOutcome>
{
    public ChangeOutcomeEnumType()
    {
        Name = "ChangeOutcome";
        Description = "What a committed write did to a record. Writes that change nothing are not announced.";
        Values["CREATED"]!.Description = "The record did not exist and now does.";
        Values["UPDATED"]!.Description = "The record existed and some of it changed.";
        Values["RETRACTED"]!.Description = "The record was withdrawn: hidden from reads, kept in its history.";
    }
}

public sealed class EntityChangeType : ObjectGraphType<GraphChange>
{
    public EntityChangeType()
    {
        Name = "EntityChange";
        Description = "An entity was created, updated or retracted by a committed write.";
        Field<NonNullGraphType<ChangeOutcomeEnumType>>("outcome").Description("Created, updated or retracted.").Resolve(c => c.Source.Outcome);
        Field(c => c.Key).Description("The entity's key.");
        Field<EntityKindEnumType>("kind")
            .Description("The entity's kind; for a retraction, the kind it had (null only when its history cannot tell).")
            .Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("revision").Description("The graph's revision after the write.").Resolve(c => c.Source.Revision.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("actor")
            .Description("The id of the API key that made the write (never the key itself). Admin keys only.")
            .RequiresRole(ApiRole.Admin)
            .Resolve(c => c.Source.Actor);
        SkippedField(this);
        Field<EntityInterface>("entity")
            .Description("The entity as it stands now, read when the event is delivered; null when it was retracted.")
            .Resolve(c => c.Source.Outcome == ChangeOutcome.Retracted ? null : c.Loaders().Entities.Load(new EntityKey(c.Source.Key)));
    }

    internal static void SkippedField(ObjectGraphType<GraphChange> type) =>
        type.Field<NonNullGraphType<IntGraphType>>("skipped")
            .Description("How many earlier changes this subscription matched were folded into this event because they came as a burst (a bulk import's batch, say; see Live:MaxEventsPerBurst): 0 normally. When more than 0, this is the last of them: re-read what you show rather than apply events one by one.")
            .Resolve(c => c.Source.Skipped);
}

public sealed class RelationshipChangeType : ObjectGraphType<GraphChange>
{
    public RelationshipChangeType()
    {
        Name = "RelationshipChange";
        Description = "A relationship was created, updated or retracted by a committed write (retracting an entity retracts its relationships too).";
        Field<NonNullGraphType<ChangeOutcomeEnumType>>("outcome").Description("Created, updated or retracted.").Resolve(c => c.Source.Outcome);
        Field(c => c.Key).Description("The relationship's key.");
        Field<RelationshipTypeEnumType>("type")
            .Description("The relationship's type; for a retraction, the type it had (null only when its history cannot tell).")
            .Resolve(c => c.Source.RelationshipType);
        Field<StringGraphType>("fromKey").Description("The key of the entity the relationship starts at.").Resolve(c => c.Source.From);
        Field<StringGraphType>("toKey").Description("The key of the entity the relationship ends at.").Resolve(c => c.Source.To);
        Field<NonNullGraphType<StringGraphType>>("revision").Description("The graph's revision after the write.").Resolve(c => c.Source.Revision.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("actor")
            .Description("The id of the API key that made the write (never the key itself). Admin keys only.")
            .RequiresRole(ApiRole.Admin)
            .Resolve(c => c.Source.Actor);
        EntityChangeType.SkippedField(this);
        Field<RelationshipGraphType>("relationship")
            .Description("The relationship as it stands now, read when the event is delivered; null when it was retracted.")
            .Resolve(c => c.Source.Outcome == ChangeOutcome.Retracted ? null : c.Loaders().Relationships.Load(c.Source.Key));
    }
}
