using System.Globalization;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class WritePayloadType : ObjectGraphType<WriteReceipt>
{
    public WritePayloadType()
    {
        Name = "WritePayload";
        Description = "What a write did. Sending the same write again changes nothing and says so (every outcome UNCHANGED).";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WriteResultType>>>>("results").Description("One entry per record the write touched, in the order written.").Resolve(c => c.Source.Results);
        Field<NonNullGraphType<BooleanGraphType>>("changed").Description("Whether anything changed.").Resolve(c => c.Source.ChangedAnything);
        Field<NonNullGraphType<StringGraphType>>("revision").Description("The graph's revision after the write; it grows with every write that changes something.").Resolve(c => c.Source.Revision.ToString(CultureInfo.InvariantCulture));
    }
}

public sealed class WriteResultType : ObjectGraphType<WriteResult>
{
    public WriteResultType()
    {
        Name = "WriteResult";
        Description = "What a write did to one record.";
        Field<NonNullGraphType<RecordTypeEnumType>>("type").Description("What kind of record.").Resolve(c => c.Source.Type);
        Field(r => r.Key).Description("The record's key.");
        Field<NonNullGraphType<WriteOutcomeEnumType>>("outcome").Description("Created, updated, unchanged or retracted.").Resolve(c => c.Source.Outcome);
        Field<NodeInterface>("record")
            .Description("The record as it now stands; null when it was retracted.")
            .Resolve(c =>
            {
                var loaders = c.Loaders();
                var key = c.Source.Key;
                return c.Source.Type switch
                {
                    RecordType.Entity => loaders.Entities.Load(new EntityKey(key)),
                    RecordType.Relationship => loaders.Relationships.Load(key),
                    RecordType.Observation => loaders.Observations.Load(key),
                    RecordType.Quote => loaders.Quotes.Load(key),
                    RecordType.Claim => loaders.Claims.Load(key),
                    _ => (object)loaders.Sources.Load(key),
                };
            });
    }
}

public sealed class HistoryEntryType : ObjectGraphType<HistoryEntry>
{
    public HistoryEntryType()
    {
        Name = "HistoryEntry";
        Description = "One change to a record: who made it, when, what it did, and the record as it stood after it (before it, for a retraction).";
        Field<NonNullGraphType<RecordTypeEnumType>>("type").Description("What kind of record.").Resolve(c => c.Source.Type);
        Field(h => h.Key).Description("The record's key.");
        Field<NonNullGraphType<WriteOutcomeEnumType>>("outcome").Description("What the change did.").Resolve(c => c.Source.Outcome);
        Field(h => h.Actor).Description("The id of the API key that made the change (never the key itself).");
        Field<NonNullGraphType<StringGraphType>>("at").Description("When, as an ISO 8601 UTC timestamp.").Resolve(c => c.Source.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Field(h => h.Reason, nullable: true).Description("Why, for a retraction.");
        Field(h => h.Snapshot).Description("The record as JSON.");
        Field<NonNullGraphType<StringGraphType>>("revision").Description("The graph revision the change made.").Resolve(c => c.Source.Revision.ToString(CultureInfo.InvariantCulture));
    }
}
