// The Neo4j store's schema, applied as shipped by Neo4jGraphStore.ApplySeedAsync before every seed (each statement
// is idempotent: IF NOT EXISTS). Statements end with a semicolon; lines starting with // are comments.
// Schema commands cannot share a transaction with data writes, so these run before the seed's transaction.

// One record per key.
CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE e.key IS UNIQUE;
CREATE CONSTRAINT observation_key IF NOT EXISTS FOR (o:Observation) REQUIRE o.key IS UNIQUE;
CREATE CONSTRAINT quote_key IF NOT EXISTS FOR (q:Quote) REQUIRE q.key IS UNIQUE;
CREATE CONSTRAINT claim_key IF NOT EXISTS FOR (c:Claim) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT source_key IF NOT EXISTS FOR (s:Source) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT seed_meta_id IF NOT EXISTS FOR (m:SeedMeta) REQUIRE m.id IS UNIQUE;
// The revision counter, whose node is also the graph's write lock: one node, however many writers race to make it.
CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE;
// API keys, found by the hash of their secret, revoked by id.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE;

// Filters and keyset paging of the entity list.
CREATE INDEX entity_kind IF NOT EXISTS FOR (e:Entity) ON (e.kind);
CREATE INDEX entity_sort_en IF NOT EXISTS FOR (e:Entity) ON (e.sortEn, e.key);
CREATE INDEX entity_sort_fr IF NOT EXISTS FOR (e:Entity) ON (e.sortFr, e.key);
CREATE INDEX observation_metric IF NOT EXISTS FOR (o:Observation) ON (o.metric);

// A record's history, read by (type, key).
CREATE INDEX history_record IF NOT EXISTS FOR (h:History) ON (h.recordType, h.recordKey);

// Relationship keys, one index per relationship type (Neo4j indexes relationship properties per type).
CREATE INDEX rel_owns_key IF NOT EXISTS FOR ()-[r:OWNS]-() ON (r.key);
CREATE INDEX rel_founded_key IF NOT EXISTS FOR ()-[r:FOUNDED]-() ON (r.key);
CREATE INDEX rel_leads_key IF NOT EXISTS FOR ()-[r:LEADS]-() ON (r.key);
CREATE INDEX rel_gave_key IF NOT EXISTS FOR ()-[r:GAVE]-() ON (r.key);
CREATE INDEX rel_endorses_key IF NOT EXISTS FOR ()-[r:ENDORSES]-() ON (r.key);
CREATE INDEX rel_published_on_key IF NOT EXISTS FOR ()-[r:PUBLISHED_ON]-() ON (r.key);
CREATE INDEX rel_involved_in_key IF NOT EXISTS FOR ()-[r:INVOLVED_IN]-() ON (r.key);
CREATE INDEX rel_benefited_from_key IF NOT EXISTS FOR ()-[r:BENEFITED_FROM]-() ON (r.key);
CREATE INDEX rel_competes_with_key IF NOT EXISTS FOR ()-[r:COMPETES_WITH]-() ON (r.key);
CREATE INDEX rel_criticized_key IF NOT EXISTS FOR ()-[r:CRITICIZED]-() ON (r.key);
CREATE INDEX rel_topped_chart_key IF NOT EXISTS FOR ()-[r:TOPPED_CHART]-() ON (r.key);
CREATE INDEX rel_displaced_key IF NOT EXISTS FOR ()-[r:DISPLACED]-() ON (r.key);
CREATE INDEX rel_available_on_key IF NOT EXISTS FOR ()-[r:AVAILABLE_ON]-() ON (r.key);

// Full-text search over names, aliases and descriptions in both languages. standard-folding lower-cases and folds
// accents (Télégramme -> telegramme); the index is kept in step with each commit (not eventually consistent).
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (e:Entity) ON EACH [e.nameEn, e.nameFr, e.aliasText, e.descriptionEn, e.descriptionFr] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false } };
