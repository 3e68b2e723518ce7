using System.Text.RegularExpressions;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// Every Cypher statement the Neo4j store sends, and nothing else: values always travel as parameters. The few texts
/// built from code are built from closed vocabularies (entity kinds, relationship types, sort directions), never from
/// input. The graph model they assume is described in schema/neo4j/README.md.
/// </summary>
public static partial class Neo4jCypher
{
    /// <summary>The longest path <see cref="ShortestPaths"/> can find; longer <c>maxHops</c> are capped to it.</summary>
    public const int MaxPathHops = KnowledgeGraph.Storage.PathQuery.MaxHopsLimit;

    /// <summary>The full-text index over names, aliases and descriptions (see schema/neo4j/constraints.cypher).</summary>
    public const string SearchIndex = "entity_search";

    /// <summary>The label of each entity kind, besides the common <c>:Entity</c>: <c>COMPANY</c> -> <c>Company</c>.</summary>
    public static string LabelOf(EntityKind kind) => kind.ToString();

    public static readonly CypherTemplate EntitiesByKeys = new(
        nameof(EntitiesByKeys),
        """
        UNWIND $keys AS key
        MATCH (e:Entity {key: key})
        RETURN e
        """,
        ["keys"]);

    public static readonly CypherTemplate RelationshipsByKeys = new(
        nameof(RelationshipsByKeys),
        """
        MATCH (a:Entity)-[r]->(b:Entity)
        WHERE r.key IN $keys AND type(r) IN $types
        RETURN r, a.key AS from, b.key AS to
        """,
        ["keys", "types"]);

    /// <summary>Relationships of entities; <c>$direction</c> is <c>OUTGOING</c>, <c>INCOMING</c> or <c>BOTH</c>.</summary>
    public static readonly CypherTemplate RelationshipsOfEntities = new(
        nameof(RelationshipsOfEntities),
        """
        MATCH (e:Entity)-[r]-(:Entity)
        WHERE e.key IN $keys AND type(r) IN $types
          AND ($direction = 'BOTH'
            OR ($direction = 'OUTGOING' AND startNode(r) = e)
            OR ($direction = 'INCOMING' AND endNode(r) = e))
        RETURN e.key AS entity, r, startNode(r).key AS from, endNode(r).key AS to
        ORDER BY entity, r.key
        """,
        ["keys", "types", "direction"]);

    public static readonly CypherTemplate ObservationsByKeys = new(
        nameof(ObservationsByKeys),
        """
        MATCH (o:Observation)-[:ABOUT]->(s:Entity)
        WHERE o.key IN $keys
        OPTIONAL MATCH (o)-[:IN_REGION]->(region:Entity)
        RETURN o, s.key AS subject, region.key AS region
        """,
        ["keys"]);

    public static readonly CypherTemplate QuotesByKeys = new(
        nameof(QuotesByKeys),
        """
        MATCH (p:Entity)-[:SAID]->(q:Quote)
        WHERE q.key IN $keys
        RETURN q, p.key AS speaker
        """,
        ["keys"]);

    public static readonly CypherTemplate ObservationsOfSubjects = new(
        nameof(ObservationsOfSubjects),
        """
        MATCH (o:Observation)-[:ABOUT]->(s:Entity)
        WHERE s.key IN $keys AND ($metric IS NULL OR o.metric = $metric)
        OPTIONAL MATCH (o)-[:IN_REGION]->(region:Entity)
        RETURN o, s.key AS subject, region.key AS region
        ORDER BY o.key
        """,
        ["keys", "metric"]);

    public static readonly CypherTemplate Observations = new(
        nameof(Observations),
        """
        MATCH (o:Observation)-[:ABOUT]->(s:Entity)
        WHERE ($subject IS NULL OR s.key = $subject) AND ($metric IS NULL OR o.metric = $metric)
        OPTIONAL MATCH (o)-[:IN_REGION]->(region:Entity)
        WITH o, s, region
        WHERE $region IS NULL OR region.key = $region
        RETURN o, s.key AS subject, region.key AS region
        ORDER BY o.key
        """,
        ["subject", "metric", "region"]);

    public static readonly CypherTemplate QuotesOfSpeakers = new(
        nameof(QuotesOfSpeakers),
        """
        MATCH (p:Entity)-[:SAID]->(q:Quote)
        WHERE p.key IN $keys
        RETURN q, p.key AS speaker
        ORDER BY q.key
        """,
        ["keys"]);

    public static readonly CypherTemplate Quotes = new(
        nameof(Quotes),
        """
        MATCH (p:Entity)-[:SAID]->(q:Quote)
        WHERE $speaker IS NULL OR p.key = $speaker
        RETURN q, p.key AS speaker
        ORDER BY q.key
        """,
        ["speaker"]);

    public static readonly CypherTemplate ClaimsByKeys = new(
        nameof(ClaimsByKeys),
        """
        MATCH (c:Claim)
        WHERE c.key IN $keys
        RETURN c
        """,
        ["keys"]);

    /// <summary>Claims about any of <c>$keys</c> (every claim when <c>$keys</c> is null), by key.</summary>
    public static readonly CypherTemplate ClaimsAbout = new(
        nameof(ClaimsAbout),
        """
        MATCH (c:Claim)
        WHERE $keys IS NULL OR any(k IN c.about WHERE k IN $keys)
        RETURN c
        ORDER BY c.key
        """,
        ["keys"]);

    /// <summary>
    /// A page of facts of <c>$bases</c> (null for all) after (<c>$afterKey</c>, <c>$afterType</c>), ordered by key
    /// then type name, at most <c>$limit</c>: each row holds the one record it is, the others null. Records from
    /// before bases existed have none and count as STATED.
    /// </summary>
    public static readonly CypherTemplate FactsPage = new(
        nameof(FactsPage),
        """
        CALL () {
          MATCH (a:Entity)-[r]->(b:Entity)
          WHERE type(r) IN $types
          RETURN r.key AS key, 'Relationship' AS type, coalesce(r.basis, 'STATED') AS basis,
            r, a.key AS from, b.key AS to, null AS o, null AS subject, null AS region, null AS c
          UNION ALL
          MATCH (o:Observation)-[:ABOUT]->(s:Entity)
          OPTIONAL MATCH (o)-[:IN_REGION]->(g:Entity)
          RETURN o.key AS key, 'Observation' AS type, coalesce(o.basis, 'STATED') AS basis,
            null AS r, null AS from, null AS to, o, s.key AS subject, g.key AS region, null AS c
          UNION ALL
          MATCH (c:Claim)
          RETURN c.key AS key, 'Claim' AS type, coalesce(c.basis, 'STATED') AS basis,
            null AS r, null AS from, null AS to, null AS o, null AS subject, null AS region, c
        }
        WITH key, type, basis, r, from, to, o, subject, region, c
        WHERE ($bases IS NULL OR basis IN $bases)
          AND ($afterKey IS NULL OR key > $afterKey OR (key = $afterKey AND type > $afterType))
        RETURN type, r, from, to, o, subject, region, c
        ORDER BY key, type
        LIMIT $limit
        """,
        ["types", "bases", "afterKey", "afterType", "limit"]);

    public static readonly CypherTemplate Sources = new(
        nameof(Sources),
        """
        MATCH (s:Source)
        WHERE $keys IS NULL OR s.key IN $keys
        RETURN s
        ORDER BY s.key
        """,
        ["keys"]);

    /// <summary>
    /// Full-text search; <c>$query</c> is Lucene syntax built by <see cref="LuceneQuery"/> from Core's search terms.
    /// The index yields at most <c>$maxMatches</c> best matches (Core's bound on a search's work); the kind filter
    /// comes before the candidate limit so that a filtered search still fills its page. Core ranks the candidates.
    /// </summary>
    public static readonly CypherTemplate Search = new(
        nameof(Search),
        """
        CALL db.index.fulltext.queryNodes('entity_search', $query, {limit: $maxMatches}) YIELD node, score
        WHERE node:Entity AND ($kinds IS NULL OR node.kind IN $kinds)
        RETURN node, score
        ORDER BY score DESC, node.key
        LIMIT $limit
        """,
        ["query", "kinds", "maxMatches", "limit"]);

    /// <summary>
    /// Every shortest path between two entities over the given relationship types, in either direction. Hop bounds
    /// cannot be parameters in Cypher, so the pattern is bounded by <see cref="MaxPathHops"/> and <c>$maxHops</c>
    /// filters; a shortest path longer than <c>$maxHops</c> means there is none within it.
    /// </summary>
    public static readonly CypherTemplate ShortestPaths = new(
        nameof(ShortestPaths),
        $$"""
        MATCH (a:Entity {key: $from})
        MATCH (b:Entity {key: $to})
        MATCH p = ALL SHORTEST (a)-[r WHERE type(r) IN $types]-{1,{{MaxPathHops}}}(b)
        WHERE length(p) <= $maxHops
        RETURN p
        ORDER BY reduce(sortKey = '', x IN relationships(p) | sortKey + '|' + x.key)
        LIMIT $limit
        """,
        ["from", "to", "types", "maxHops", "limit"]);

    /// <summary>
    /// One page of entities walking ascending by key, with no condition: the shape of every page
    /// <see cref="Neo4jFilterCypher.ListEntities"/> plans, whose conditions and orders vary.
    /// </summary>
    public static readonly CypherTemplate ListEntitiesAscending = Neo4jFilterCypher.ListEntities(new Storage.EntityQuery(First: 1), out _);

    /// <summary>One page of entities walking descending by key, with no condition.</summary>
    public static readonly CypherTemplate ListEntitiesDescending = Neo4jFilterCypher.ListEntities(new Storage.EntityQuery(Descending: true, First: 1), out _);

    public static readonly CypherTemplate Ping = new(nameof(Ping), "RETURN 1 AS ok", []);

    public static readonly CypherTemplate AwaitIndexes = new(nameof(AwaitIndexes), "CALL db.awaitIndexes($seconds)", ["seconds"]);

    public static readonly CypherTemplate SeedHash = new(
        nameof(SeedHash),
        """
        OPTIONAL MATCH (m:SeedMeta {id: 'seed'})
        RETURN m.contentHash AS contentHash
        """,
        []);

    /// <summary>
    /// Removes what the new seed no longer holds and only what the seed wrote (<c>origin</c> 'seed'; records from
    /// before origins existed count as seed): seed records whose key is gone, relationships whose type or ends changed
    /// under a key the seed still holds (whoever wrote them last: the seed's version replaces them, as in SQLite),
    /// and the links of the seed's observations and quotes, which the merges below lay again. Partners' records
    /// (<c>origin</c> 'write') stay, and so does a gone seed entity that partners' records still hang off.
    /// </summary>
    public static readonly CypherTemplate PruneSeed = new(
        nameof(PruneSeed),
        """
        CALL () {
          MATCH (e:Entity)
          WHERE coalesce(e.origin, 'seed') = 'seed' AND NOT e.key IN $entityKeys
            AND NOT EXISTS {
              MATCH (e)-[r]-(x)
              WHERE (type(r) IN $types AND r.origin = 'write') OR ((x:Observation OR x:Quote) AND x.origin = 'write')
            }
          DETACH DELETE e
        }
        CALL () {
          MATCH (a:Entity)-[r]->(b:Entity)
          WHERE type(r) IN $types AND NOT (r.key + '|' + type(r) + '|' + a.key + '|' + b.key) IN $relationshipSignatures
            AND (r.key IN $relationshipKeys OR coalesce(r.origin, 'seed') = 'seed')
          DELETE r
        }
        CALL () {
          MATCH (o:Observation) WHERE coalesce(o.origin, 'seed') = 'seed' AND NOT o.key IN $observationKeys
          DETACH DELETE o
        }
        CALL () {
          MATCH (q:Quote) WHERE coalesce(q.origin, 'seed') = 'seed' AND NOT q.key IN $quoteKeys
          DETACH DELETE q
        }
        CALL () {
          MATCH (c:Claim) WHERE coalesce(c.origin, 'seed') = 'seed' AND NOT c.key IN $claimKeys
          DELETE c
        }
        CALL () {
          MATCH (s:Source) WHERE coalesce(s.origin, 'seed') = 'seed' AND NOT s.key IN $sourceKeys
          DETACH DELETE s
        }
        CALL () {
          MATCH (o:Observation)-[link:ABOUT|IN_REGION]->(:Entity)
          WHERE o.key IN $observationKeys
          DELETE link
        }
        CALL () {
          MATCH (:Entity)-[link:SAID]->(q:Quote)
          WHERE q.key IN $quoteKeys
          DELETE link
        }
        """,
        ["entityKeys", "types", "relationshipSignatures", "relationshipKeys", "observationKeys", "quoteKeys", "claimKeys", "sourceKeys"]);

    public static readonly CypherTemplate MergeSources = new(
        nameof(MergeSources),
        """
        UNWIND $rows AS row
        MERGE (s:Source {key: row.key})
        SET s = row
        """,
        ["rows"]);

    /// <summary>Entities by key, each with <c>:Entity</c> and exactly the label of its kind (a changed kind moves it).</summary>
    public static readonly CypherTemplate MergeEntities = new(
        nameof(MergeEntities),
        $"""
        UNWIND $rows AS row
        MERGE (e:Entity {"{"}key: row.key{"}"})
        SET e = row
        REMOVE e{string.Concat(Enum.GetValues<EntityKind>().Select(k => ":" + LabelOf(k)))}
        {string.Join(Environment.NewLine, Enum.GetValues<EntityKind>().Select(k =>
            $"FOREACH (_ IN CASE WHEN row.kind = '{Vocabulary.ToWireName(k)}' THEN [1] ELSE [] END | SET e:{LabelOf(k)})"))}
        """.ReplaceLineEndings("\n"),
        ["rows"]);

    /// <summary>
    /// Relationships by key with their real types (<c>OWNS</c>, <c>PUBLISHED_ON</c>, ...). Cypher 5 cannot take a type
    /// from a parameter, so one <c>FOREACH</c> per type of the closed vocabulary picks the row's.
    /// </summary>
    public static readonly CypherTemplate MergeRelationships = new(
        nameof(MergeRelationships),
        $"""
        UNWIND $rows AS row
        MATCH (a:Entity {"{"}key: row.from{"}"})
        MATCH (b:Entity {"{"}key: row.to{"}"})
        {string.Join(Environment.NewLine, Enum.GetValues<RelationshipType>().Select(t => Vocabulary.ToWireName(t)).Select(t =>
            $"FOREACH (_ IN CASE WHEN row.type = '{t}' THEN [1] ELSE [] END | MERGE (a)-[r:{t} {{key: row.key}}]->(b) SET r = row.properties)"))}
        """.ReplaceLineEndings("\n"),
        ["rows"]);

    public static readonly CypherTemplate MergeObservations = new(
        nameof(MergeObservations),
        """
        UNWIND $rows AS row
        MATCH (s:Entity {key: row.subject})
        MERGE (o:Observation {key: row.key})
        SET o = row.properties
        MERGE (o)-[:ABOUT]->(s)
        WITH o, row
        OPTIONAL MATCH (region:Entity {key: row.region})
        FOREACH (r IN CASE WHEN region IS NULL THEN [] ELSE [region] END | MERGE (o)-[:IN_REGION]->(r))
        """,
        ["rows"]);

    public static readonly CypherTemplate MergeQuotes = new(
        nameof(MergeQuotes),
        """
        UNWIND $rows AS row
        MATCH (p:Entity {key: row.speaker})
        MERGE (q:Quote {key: row.key})
        SET q = row.properties
        MERGE (p)-[:SAID]->(q)
        """,
        ["rows"]);

    /// <summary>Claims by key (seed and writes alike): a claim has no links, its entities are the keys in <c>about</c>.</summary>
    public static readonly CypherTemplate MergeClaims = new(
        nameof(MergeClaims),
        """
        UNWIND $rows AS row
        MERGE (c:Claim {key: row.key})
        SET c = row
        """,
        ["rows"]);

    public static readonly CypherTemplate RecordSeed = new(
        nameof(RecordSeed),
        """
        MERGE (m:SeedMeta {id: 'seed'})
        SET m.contentHash = $contentHash, m.appliedAt = datetime()
        """,
        ["contentHash"]);

    /// <summary>
    /// Takes the graph's write lock and moves the revision by <c>$increment</c> (1 for a write and for a seed that is written). The
    /// right-hand side reads the property it sets, so Neo4j takes the node's write lock before reading it: every
    /// writer that runs this first waits for the one before it to commit or roll back, then sees what it wrote.
    /// </summary>
    public static readonly CypherTemplate LockRevision = new(
        nameof(LockRevision),
        """
        MERGE (m:Meta {id: 'revision'})
        ON CREATE SET m.revision = 0
        SET m.revision = m.revision + $increment
        RETURN m.revision AS revision
        """,
        ["increment"]);

    public static readonly CypherTemplate Revision = new(
        nameof(Revision),
        """
        OPTIONAL MATCH (m:Meta {id: 'revision'})
        RETURN coalesce(m.revision, 0) AS revision
        """,
        []);

    /// <summary>
    /// Everything a write is compared against, in one statement: the records under the write's keys, everything that
    /// hangs off the entities it retracts (their relationships, observations and quotes) and which of its retraction
    /// targets were retracted before. Relationships, observations and quotes come as maps <c>{record, from, to}</c>:
    /// a relationship's ends, an observation's subject and region, a quote's speaker.
    /// </summary>
    public static readonly CypherTemplate WriteSnapshots = new(
        nameof(WriteSnapshots),
        """
        CALL () {
          MATCH (s:Source) WHERE s.key IN $sourceKeys
          RETURN collect(s) AS sources
        }
        CALL () {
          MATCH (e:Entity) WHERE e.key IN $entityKeys
          RETURN collect(e) AS entities
        }
        CALL () {
          CALL () {
            MATCH (:Entity)-[r]->(:Entity) WHERE r.key IN $relationshipKeys AND type(r) IN $types
            RETURN r
            UNION
            MATCH (e:Entity)-[r]-(:Entity) WHERE e.key IN $retractedEntities AND type(r) IN $types
            RETURN r
          }
          RETURN collect({record: r, from: startNode(r).key, to: endNode(r).key}) AS relationships
        }
        CALL () {
          CALL () {
            MATCH (o:Observation) WHERE o.key IN $observationKeys
            RETURN o
            UNION
            MATCH (o:Observation)-[:ABOUT|IN_REGION]->(e:Entity) WHERE e.key IN $retractedEntities
            RETURN o
          }
          MATCH (o)-[:ABOUT]->(subject:Entity)
          OPTIONAL MATCH (o)-[:IN_REGION]->(region:Entity)
          RETURN collect({record: o, from: subject.key, to: region.key}) AS observations
        }
        CALL () {
          CALL () {
            MATCH (q:Quote) WHERE q.key IN $quoteKeys
            RETURN q
            UNION
            MATCH (e:Entity)-[:SAID]->(q:Quote) WHERE e.key IN $retractedEntities
            RETURN q
          }
          MATCH (speaker:Entity)-[:SAID]->(q)
          RETURN collect({record: q, from: speaker.key, to: null}) AS quotes
        }
        CALL () {
          MATCH (c:Claim) WHERE c.key IN $claimKeys OR any(k IN c.about WHERE k IN $retractedEntities)
          RETURN collect(c) AS claims
        }
        CALL () {
          UNWIND $retractions AS retraction
          MATCH (h:History {recordType: retraction.type, recordKey: retraction.key})
          WHERE h.outcome = 'Retracted'
          RETURN collect(DISTINCT {type: h.recordType, key: h.recordKey}) AS retracted
        }
        RETURN sources, entities, relationships, observations, quotes, claims, retracted
        """,
        ["sourceKeys", "entityKeys", "relationshipKeys", "types", "retractedEntities", "observationKeys", "quoteKeys", "claimKeys", "retractions"]);

    /// <summary>
    /// The records whose citations mention one of the sources a write retracts (<c>$patterns</c> from
    /// <see cref="Neo4jRecords.CitationPattern"/>), shaped like <see cref="WriteSnapshots"/>. Sent only then: it reads
    /// every record's citations.
    /// </summary>
    public static readonly CypherTemplate CitingRecords = new(
        nameof(CitingRecords),
        """
        CALL () {
          MATCH (e:Entity) WHERE any(p IN $patterns WHERE e.citations CONTAINS p)
          RETURN collect(e) AS entities
        }
        CALL () {
          MATCH (a:Entity)-[r]->(b:Entity)
          WHERE type(r) IN $types AND any(p IN $patterns WHERE r.citations CONTAINS p)
          RETURN collect({record: r, from: a.key, to: b.key}) AS relationships
        }
        CALL () {
          MATCH (o:Observation)-[:ABOUT]->(subject:Entity)
          WHERE any(p IN $patterns WHERE o.citations CONTAINS p)
          OPTIONAL MATCH (o)-[:IN_REGION]->(region:Entity)
          RETURN collect({record: o, from: subject.key, to: region.key}) AS observations
        }
        CALL () {
          MATCH (speaker:Entity)-[:SAID]->(q:Quote)
          WHERE any(p IN $patterns WHERE q.citations CONTAINS p)
          RETURN collect({record: q, from: speaker.key, to: null}) AS quotes
        }
        CALL () {
          MATCH (c:Claim) WHERE any(p IN $patterns WHERE c.citations CONTAINS p)
          RETURN collect(c) AS claims
        }
        RETURN entities, relationships, observations, quotes, claims
        """,
        ["patterns", "types"]);

    /// <summary>Removes relationships by key: those a write retracts, and those it changes before they are laid again.</summary>
    public static readonly CypherTemplate DeleteRelationships = new(
        nameof(DeleteRelationships),
        """
        MATCH (:Entity)-[r]->(:Entity)
        WHERE r.key IN $keys AND type(r) IN $types
        DELETE r
        """,
        ["keys", "types"]);

    /// <summary>
    /// Lays relationships whose earlier version (if any) <see cref="DeleteRelationships"/> removed. <c>written</c>
    /// counts the rows whose two ends were found: fewer than sent means an end went away since validation.
    /// </summary>
    public static readonly CypherTemplate CreateRelationships = new(
        nameof(CreateRelationships),
        $"""
        UNWIND $rows AS row
        MATCH (a:Entity {"{"}key: row.from{"}"})
        MATCH (b:Entity {"{"}key: row.to{"}"})
        {string.Join(Environment.NewLine, Enum.GetValues<RelationshipType>().Select(t => Vocabulary.ToWireName(t)).Select(t =>
            $"FOREACH (_ IN CASE WHEN row.type = '{t}' THEN [1] ELSE [] END | CREATE (a)-[r:{t}]->(b) SET r = row.properties)"))}
        RETURN count(*) AS written
        """.ReplaceLineEndings("\n"),
        ["rows"]);

    /// <summary>
    /// Upserts observations by key and lays their links again (the subject or region may have changed).
    /// <c>written</c> counts the rows whose subject (and region, if any) were found.
    /// </summary>
    public static readonly CypherTemplate WriteObservations = new(
        nameof(WriteObservations),
        """
        UNWIND $rows AS row
        MATCH (subject:Entity {key: row.subject})
        OPTIONAL MATCH (region:Entity {key: row.region})
        WITH row, subject, region
        WHERE row.region IS NULL OR region IS NOT NULL
        MERGE (o:Observation {key: row.key})
        SET o = row.properties
        WITH subject, region, o
        CALL (o) {
          MATCH (o)-[link:ABOUT|IN_REGION]->(:Entity)
          DELETE link
        }
        CREATE (o)-[:ABOUT]->(subject)
        FOREACH (r IN CASE WHEN region IS NULL THEN [] ELSE [region] END | CREATE (o)-[:IN_REGION]->(r))
        RETURN count(o) AS written
        """,
        ["rows"]);

    /// <summary>Upserts quotes by key and lays their speaker link again. <c>written</c> counts the rows whose speaker was found.</summary>
    public static readonly CypherTemplate WriteQuotes = new(
        nameof(WriteQuotes),
        """
        UNWIND $rows AS row
        MATCH (speaker:Entity {key: row.speaker})
        MERGE (q:Quote {key: row.key})
        SET q = row.properties
        WITH speaker, q
        CALL (q) {
          MATCH (:Entity)-[link:SAID]->(q)
          DELETE link
        }
        CREATE (speaker)-[:SAID]->(q)
        RETURN count(q) AS written
        """,
        ["rows"]);

    /// <summary>Withdraws records by key, with their links. Relationships go first, through <see cref="DeleteRelationships"/>.</summary>
    public static readonly CypherTemplate DeleteRecords = new(
        nameof(DeleteRecords),
        """
        CALL () {
          MATCH (c:Claim) WHERE c.key IN $claimKeys
          DELETE c
        }
        CALL () {
          MATCH (q:Quote) WHERE q.key IN $quoteKeys
          DETACH DELETE q
        }
        CALL () {
          MATCH (o:Observation) WHERE o.key IN $observationKeys
          DETACH DELETE o
        }
        CALL () {
          MATCH (e:Entity) WHERE e.key IN $entityKeys
          DETACH DELETE e
        }
        CALL () {
          MATCH (s:Source) WHERE s.key IN $sourceKeys
          DETACH DELETE s
        }
        """,
        ["claimKeys", "quoteKeys", "observationKeys", "entityKeys", "sourceKeys"]);

    /// <summary>
    /// One <c>:History</c> node per change: <c>recordType</c>, <c>recordKey</c>, <c>outcome</c>, <c>actor</c>, <c>at</c>,
    /// <c>reason</c>, <c>snapshot</c>, <c>revision</c> and <c>sequence</c> (its order within the write).
    /// </summary>
    public static readonly CypherTemplate AddHistory = new(
        nameof(AddHistory),
        """
        UNWIND $entries AS entry
        CREATE (h:History)
        SET h = entry
        """,
        ["entries"]);

    public static readonly CypherTemplate HistoryOf = new(
        nameof(HistoryOf),
        """
        MATCH (h:History {recordType: $type, recordKey: $key})
        RETURN h
        ORDER BY h.revision, h.sequence
        """,
        ["type", "key"]);

    public static readonly CypherTemplate ApiKeyByHash = new(
        nameof(ApiKeyByHash),
        """
        MATCH (k:ApiKey {hash: $hash})
        RETURN k
        """,
        ["hash"]);

    /// <summary>Adds a key; the unique constraints on <c>id</c> and <c>hash</c> refuse a second key with either.</summary>
    public static readonly CypherTemplate AddApiKey = new(
        nameof(AddApiKey),
        """
        CREATE (k:ApiKey)
        SET k = $key
        """,
        ["key"]);

    public static readonly CypherTemplate ApiKeys = new(
        nameof(ApiKeys),
        """
        MATCH (k:ApiKey)
        RETURN k
        ORDER BY k.createdAt, k.id
        """,
        []);

    public static readonly CypherTemplate RevokeApiKey = new(
        nameof(RevokeApiKey),
        """
        MATCH (k:ApiKey {id: $id})
        WHERE k.revokedAt IS NULL
        SET k.revokedAt = $at
        RETURN count(k) AS revoked
        """,
        ["id", "at"]);

    /// <summary>The statements of schema/neo4j/constraints.cypher, in file order, named <c>Schema.&lt;constraint or index name&gt;</c>.</summary>
    public static IReadOnlyList<CypherTemplate> Schema { get; } = LoadSchema();

    /// <summary>Every statement the store can send; the lint and snapshot tests go through this list.</summary>
    public static IReadOnlyList<CypherTemplate> All { get; } =
    [
        EntitiesByKeys, RelationshipsByKeys, ObservationsByKeys, QuotesByKeys, RelationshipsOfEntities, ObservationsOfSubjects, Observations, QuotesOfSpeakers,
        Quotes, Sources, Search, ShortestPaths, ListEntitiesAscending, ListEntitiesDescending, Ping, AwaitIndexes, SeedHash,
        PruneSeed, MergeSources, MergeEntities, MergeRelationships, MergeObservations, MergeQuotes, MergeClaims, RecordSeed,
        LockRevision, Revision, WriteSnapshots, CitingRecords, DeleteRelationships, CreateRelationships, WriteObservations, WriteQuotes,
        DeleteRecords, AddHistory, HistoryOf, ApiKeyByHash, AddApiKey, ApiKeys, RevokeApiKey, ClaimsByKeys, ClaimsAbout, FactsPage, .. Schema,
    ];

    private static List<CypherTemplate> LoadSchema()
    {
        using var stream = typeof(Neo4jCypher).Assembly.GetManifestResourceStream("KnowledgeGraph.Store.Neo4j.constraints.cypher")
            ?? throw new InvalidOperationException("The embedded schema/neo4j/constraints.cypher is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n')
            .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
        return string.Join("\n", lines)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => new CypherTemplate("Schema." + SchemaName().Match(text).Groups["name"].Value, text, []))
            .ToList();
    }

    [GeneratedRegex(@"^CREATE (?:FULLTEXT )?(?:CONSTRAINT|INDEX) (?<name>\w+) IF NOT EXISTS")]
    private static partial Regex SchemaName();
}
