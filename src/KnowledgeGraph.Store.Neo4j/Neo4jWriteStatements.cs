using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Store.Neo4j.Transport;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// The Neo4j side of a write, which decides nothing: the records Core's <see cref="WritePlan"/> is played against,
/// read from <see cref="Neo4jCypher.WriteSnapshots"/> and <see cref="Neo4jCypher.CitingRecords"/>, and the batched
/// statements that apply a plan.
/// </summary>
internal static class Neo4jWriteStatements
{
    /// <summary>Adds the records of a <see cref="Neo4jCypher.WriteSnapshots"/> or <see cref="Neo4jCypher.CitingRecords"/> answer to the state.</summary>
    public static void Read(CypherRecord record, WriteState state)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(state);
        if (record.Fields.Contains("sources"))
        {
            foreach (var node in CypherValues.ListOf<CypherNode>(record["sources"], "sources"))
            {
                state.Add(Neo4jRecords.ToSource(node));
            }
        }

        foreach (var node in CypherValues.ListOf<CypherNode>(record["entities"], "entities"))
        {
            state.Add(Neo4jRecords.ToEntity(node));
        }

        foreach (var map in Maps(record, "relationships"))
        {
            state.Add(Neo4jRecords.ToRelationship(
                CypherValues.As<CypherRelationship>(map.GetValueOrDefault("record"), "relationships.record"),
                new EntityKey(CypherValues.As<string>(map.GetValueOrDefault("from"), "relationships.from")),
                new EntityKey(CypherValues.As<string>(map.GetValueOrDefault("to"), "relationships.to"))));
        }

        foreach (var map in Maps(record, "observations"))
        {
            state.Add(Neo4jRecords.ToObservation(
                CypherValues.As<CypherNode>(map.GetValueOrDefault("record"), "observations.record"),
                CypherValues.As<string>(map.GetValueOrDefault("from"), "observations.from"),
                CypherValues.As<string?>(map.GetValueOrDefault("to"), "observations.to")));
        }

        foreach (var map in Maps(record, "quotes"))
        {
            state.Add(Neo4jRecords.ToQuote(
                CypherValues.As<CypherNode>(map.GetValueOrDefault("record"), "quotes.record"),
                CypherValues.As<string>(map.GetValueOrDefault("from"), "quotes.from")));
        }

        if (record.Fields.Contains("claims"))
        {
            foreach (var node in CypherValues.ListOf<CypherNode>(record["claims"], "claims"))
            {
                state.Add(Neo4jRecords.ToClaim(node));
            }
        }

        if (record.Fields.Contains("retracted"))
        {
            foreach (var map in Maps(record, "retracted"))
            {
                state.AddRetracted(
                    Enum.Parse<RecordType>(CypherValues.As<string>(map.GetValueOrDefault("type"), "retracted.type")),
                    CypherValues.As<string>(map.GetValueOrDefault("key"), "retracted.key"));
            }
        }
    }

    /// <summary>The one read a write is compared against: every key Core's <see cref="WriteReads"/> names.</summary>
    public static CypherStatement Snapshots(WriteReads reads, IReadOnlyList<string> relationshipTypes)
    {
        ArgumentNullException.ThrowIfNull(reads);
        return Neo4jCypher.WriteSnapshots.Bind(
            ("sourceKeys", reads.SourceKeys.ToList()),
            ("entityKeys", reads.EntityKeys.ToList()),
            ("relationshipKeys", reads.RelationshipKeys.ToList()),
            ("types", relationshipTypes),
            ("retractedEntities", reads.RetractedEntities.ToList()),
            ("observationKeys", reads.ObservationKeys.ToList()),
            ("quoteKeys", reads.QuoteKeys.ToList()),
            ("claimKeys", reads.ClaimKeys.ToList()),
            ("retractions", reads.Retractions
                .Select(r => new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = r.Type.ToString(), ["key"] = r.Key })
                .ToList()));
    }

    /// <summary>
    /// The statements that apply the plan, in order, each with the <c>written</c> count it must report (null when it
    /// reports none): upserts, then removals, then history.
    /// </summary>
    public static IReadOnlyList<(CypherStatement Statement, long? Written)> Apply(WritePlan plan, IReadOnlyList<string> relationshipTypes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        const string origin = Neo4jRecords.WriteOrigin;
        var upserted = plan.Upserted;
        var statements = new List<(CypherStatement, long?)>();
        var sources = upserted.OfType<Source>().Select(s => Neo4jRecords.SourceRow(s, origin)).ToList();
        var entities = upserted.OfType<Entity>().Select(e => Neo4jRecords.EntityRow(e, origin)).ToList();
        var relationships = upserted.OfType<Relationship>().Select(r => Neo4jRecords.RelationshipRow(r, origin)).ToList();
        var observations = upserted.OfType<Observation>().Select(o => Neo4jRecords.ObservationRow(o, origin)).ToList();
        var quotes = upserted.OfType<Quote>().Select(q => Neo4jRecords.QuoteRow(q, origin)).ToList();
        var claims = upserted.OfType<Claim>().Select(c => Neo4jRecords.ClaimRow(c, origin)).ToList();

        // A changed relationship is removed and laid again: its type or ends may be what changed.
        var removedRelationships = upserted.OfType<Relationship>().Select(r => r.Key)
            .Concat(plan.Deletions.Where(k => k.Type == RecordType.Relationship).Select(k => k.Key))
            .Distinct(StringComparer.Ordinal).ToList();

        if (sources.Count > 0)
        {
            statements.Add((Neo4jCypher.MergeSources.Bind(("rows", sources)), null));
        }

        if (entities.Count > 0)
        {
            statements.Add((Neo4jCypher.MergeEntities.Bind(("rows", entities)), null));
        }

        if (removedRelationships.Count > 0)
        {
            statements.Add((Neo4jCypher.DeleteRelationships.Bind(("keys", removedRelationships), ("types", relationshipTypes)), null));
        }

        if (relationships.Count > 0)
        {
            statements.Add((Neo4jCypher.CreateRelationships.Bind(("rows", relationships)), relationships.Count));
        }

        if (observations.Count > 0)
        {
            statements.Add((Neo4jCypher.WriteObservations.Bind(("rows", observations)), observations.Count));
        }

        if (quotes.Count > 0)
        {
            statements.Add((Neo4jCypher.WriteQuotes.Bind(("rows", quotes)), quotes.Count));
        }

        if (claims.Count > 0)
        {
            statements.Add((Neo4jCypher.MergeClaims.Bind(("rows", claims)), null));
        }

        if (plan.Deletions.Any(k => k.Type != RecordType.Relationship))
        {
            List<string> Deleted(RecordType type) => plan.Deletions.Where(k => k.Type == type).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
            statements.Add((Neo4jCypher.DeleteRecords.Bind(
                ("claimKeys", Deleted(RecordType.Claim)),
                ("quoteKeys", Deleted(RecordType.Quote)),
                ("observationKeys", Deleted(RecordType.Observation)),
                ("entityKeys", Deleted(RecordType.Entity)),
                ("sourceKeys", Deleted(RecordType.Source))), null));
        }

        statements.Add((Neo4jCypher.AddHistory.Bind(("entries", plan.History.Select(HistoryRow).ToList())), null));
        return statements;
    }

    /// <summary>The refusal for a statement that wrote fewer rows than sent: something it points at went away since validation.</summary>
    public static WriteValidationException StaleReferenceException() => new([new WriteProblem("input", WritePlan.StaleReference)]);

    public static HistoryEntry ToHistoryEntry(CypherNode node) => new(
        Enum.Parse<RecordType>(node.Get<string>("recordType")),
        node.Get<string>("recordKey"),
        Enum.Parse<WriteOutcome>(node.Get<string>("outcome")),
        node.Get<string>("actor"),
        DateTimeOffset.Parse(node.Get<string>("at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        node.Get<string?>("reason"),
        node.Get<string>("snapshot"),
        node.Get<long>("revision"));

    private static Dictionary<string, object?> HistoryRow(HistoryEntry entry, int sequence) => new(StringComparer.Ordinal)
    {
        ["recordType"] = entry.Type.ToString(),
        ["recordKey"] = entry.Key,
        ["outcome"] = entry.Outcome.ToString(),
        ["actor"] = entry.Actor,
        ["at"] = entry.At.ToString("O", CultureInfo.InvariantCulture),
        ["reason"] = entry.Reason,
        ["snapshot"] = entry.Snapshot,
        ["revision"] = entry.Revision,
        ["sequence"] = (long)sequence,
    };

    private static IEnumerable<IReadOnlyDictionary<string, object?>> Maps(CypherRecord record, string field) =>
        CypherValues.ListOf<IReadOnlyDictionary<string, object?>>(record[field], field);
}
