using System.Globalization;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Every SQL statement the embedded store runs, in one place. Values always travel as parameters; sets of keys
/// travel as one JSON array parameter read with <c>json_each</c>, so a batch is one statement whatever its size.
/// </summary>
internal static class SqliteSql
{
    /// <summary>
    /// The layout CreateSchema makes. 2: entities carry an explicit <c>id</c>, which is the rowid of their search row
    /// (version 1 keyed search rows by an unindexed <c>key</c> column), and the relationship indexes no longer end
    /// with the key; <see cref="SqliteGraphStore"/> upgrades a version 1 file when it first opens it.
    /// 3: relationships and observations carry their provenance (basis, reported_by, rationale, hedge) and dates
    /// (date_basis; relationships period_start and period_end; observations share_of), and claims have a table;
    /// <see cref="UpgradeFromVersion2"/> rebuilds a version 2 file's tables with them.
    /// </summary>
    public const int SchemaVersion = 4;

    /// <summary>Whether the file is of version 2: it has its tables, but relationships have no basis yet.</summary>
    public const string IsVersion2Layout = """
        SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'relationships')
           AND NOT EXISTS (SELECT 1 FROM pragma_table_info('relationships') WHERE name = 'basis')
        """;

    /// <summary>Whether the file is of version 3: it has a sources table, but sources have no retrieval date yet.</summary>
    public const string IsVersion3Layout = """
        SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sources')
           AND NOT EXISTS (SELECT 1 FROM pragma_table_info('sources') WHERE name = 'retrieved_on')
        """;

    /// <summary>
    /// The layout steps after version 2, oldest first: how to recognise a file that needs each, the SQL that brings it
    /// up to that version, and the version. The store runs every step that applies, each in its own transaction, and
    /// records the version. A new column is its table's DDL and one step here.
    /// </summary>
    public static readonly (int Version, string Applies, string Sql)[] LayoutSteps =
    [
        (3, IsVersion2Layout, UpgradeFromVersion2),
        (4, IsVersion3Layout, UpgradeFromVersion3),
    ];

    // Nothing points at sources (citations name them inside JSON) and they have no secondary index.
    public const string UpgradeFromVersion3 = $"""
        ALTER TABLE sources RENAME TO sources_v3;
        {CreateSourcesTable}
        INSERT INTO sources (key, title_en, title_fr, language, published_on, url, text, origin)
            SELECT key, title_en, title_fr, language, published_on, url, text, origin FROM sources_v3 ORDER BY rowid;
        DROP TABLE sources_v3;
        """;

    // Each table is rebuilt from the same DDL CreateSchema runs, so an upgraded file has exactly the schema of a new
    // one; nothing points at relationships or observations, so foreign keys stay on. Their indexes go with the old
    // tables and are made again.
    public const string UpgradeFromVersion2 = $"""
        ALTER TABLE relationships RENAME TO relationships_v2;
        DROP INDEX IF EXISTS relationships_by_from;
        DROP INDEX IF EXISTS relationships_by_to;
        {CreateRelationshipsTable}
        INSERT INTO relationships (key, type, from_key, to_key, properties, citations, origin)
            SELECT key, type, from_key, to_key, properties, citations, origin FROM relationships_v2 ORDER BY rowid;
        DROP TABLE relationships_v2;
        {RelationshipsByFromIndex}
        {RelationshipsByToIndex}
        ALTER TABLE observations RENAME TO observations_v2;
        DROP INDEX IF EXISTS observations_by_subject;
        {CreateObservationsTable}
        INSERT INTO observations (key, subject, metric, value, unit, precision, period_start, period_end, duration, region, note, citations, origin, date_basis)
            SELECT key, subject, metric, value, unit, precision, period_start, period_end, duration, region, note, citations, origin,
                CASE WHEN period_start IS NOT NULL OR period_end IS NOT NULL THEN 'STATED' END
            FROM observations_v2 ORDER BY rowid;
        DROP TABLE observations_v2;
        {ObservationsBySubjectIndex}
        {CreateClaimsTable}
        """;

    // Secondary indexes, named so that a bulk load (the benchmarks' SqliteBulkImport) can drop them before a load into
    // empty tables and build them afterwards with one sort each, leaving the schema exactly as CreateSchema makes it.
    public const string EntitiesByKindIndex = "CREATE INDEX IF NOT EXISTS entities_by_kind ON entities (kind, key);";
    public const string EntitiesByNameEnIndex = "CREATE INDEX IF NOT EXISTS entities_by_name_en ON entities (name_en COLLATE NOCASE, key);";
    public const string EntitiesByNameFrIndex = "CREATE INDEX IF NOT EXISTS entities_by_name_fr ON entities (name_fr COLLATE NOCASE, key);";
    // Names folded as Core's TextFold folds them (kg_fold, registered on every connection that writes), so a name
    // condition's `eq` and `startsWith` seek these instead of folding every name. Rebuilt when TextFold.Version moves
    // (SqliteGraphStore.EnsureNameFoldAsync); a tool without kg_fold can read the file but not write entities.
    // A name condition that cannot seek them (`contains`) scans them by name (SqliteFilterSql.NameCondition).
    public const string FoldEnIndexName = "entities_by_fold_en";
    public const string FoldFrIndexName = "entities_by_fold_fr";
    public const string EntitiesByFoldEnIndex = $"CREATE INDEX IF NOT EXISTS {FoldEnIndexName} ON entities (kg_fold(name_en));";
    public const string EntitiesByFoldFrIndex = $"CREATE INDEX IF NOT EXISTS {FoldFrIndexName} ON entities (kg_fold(name_fr));";
    // Relationships are read by an end (and type) and always in full, so these hold no more than what finds them: the
    // key that version 1 added made each entry twice as large and its index slower to build and to cache.
    public const string RelationshipsByFromIndex = "CREATE INDEX IF NOT EXISTS relationships_by_from ON relationships (from_key, type);";
    public const string RelationshipsByToIndex = "CREATE INDEX IF NOT EXISTS relationships_by_to ON relationships (to_key, type);";


    /// <summary>The meta row naming the <see cref="TextFold.Version"/> the fold indexes were built with.</summary>
    public const string NameFoldMeta = "name_fold";

    /// <summary>Rebuilds the fold indexes, for a file whose names were folded by another <see cref="TextFold.Version"/> or not at all.</summary>
    public const string RebuildNameFoldIndexes = $"""
        DROP INDEX IF EXISTS {FoldEnIndexName};
        DROP INDEX IF EXISTS {FoldFrIndexName};
        {EntitiesByFoldEnIndex}
        {EntitiesByFoldFrIndex}
        INSERT INTO meta (name, value) VALUES ('{NameFoldMeta}', '{TextFold.Version}')
            ON CONFLICT (name) DO UPDATE SET value = excluded.value;
        """;

    public const string HasEntitiesTable = "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'entities')";

    /// <summary>1 when the fold indexes were built by this <see cref="TextFold.Version"/> (run only once the entities table exists).</summary>
    public const string NameFoldIsCurrent = $"SELECT EXISTS (SELECT 1 FROM meta WHERE name = '{NameFoldMeta}' AND value = '{TextFold.Version}')";

    public const string CreateSchema = $"""
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS meta (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;
        {CreateSourcesTable}
        {CreateEntitiesTable}
        {EntitiesByKindIndex}
        {EntitiesByNameEnIndex}
        {EntitiesByNameFrIndex}
        {EntitiesByFoldEnIndex}
        {EntitiesByFoldFrIndex}
        INSERT OR IGNORE INTO meta (name, value) VALUES ('{NameFoldMeta}', '{TextFold.Version}');
        {CreateRelationshipsTable}
        {RelationshipsByFromIndex}
        {RelationshipsByToIndex}
        {CreateObservationsTable}
        {ObservationsBySubjectIndex}
        {CreateClaimsTable}
        CREATE TABLE IF NOT EXISTS quotes (
            key         TEXT PRIMARY KEY,
            speaker     TEXT NOT NULL REFERENCES entities (key),
            text        TEXT NOT NULL,
            language    TEXT NOT NULL,
            translation TEXT,
            citations   TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        CREATE INDEX IF NOT EXISTS quotes_by_speaker ON quotes (speaker, key);
        CREATE TABLE IF NOT EXISTS history (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            record_type TEXT NOT NULL,
            record_key  TEXT NOT NULL,
            outcome     TEXT NOT NULL,
            actor       TEXT NOT NULL,
            at          TEXT NOT NULL,
            reason      TEXT,
            snapshot    TEXT NOT NULL,
            revision    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS history_by_record ON history (record_type, record_key, id);
        {CreateSearchTable}
        """;

    public const string CreateRelationshipsTable = """
        CREATE TABLE IF NOT EXISTS relationships (
            key        TEXT PRIMARY KEY,
            type       TEXT NOT NULL,
            from_key   TEXT NOT NULL REFERENCES entities (key),
            to_key     TEXT NOT NULL REFERENCES entities (key),
            properties TEXT NOT NULL,
            citations  TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed',
            basis        TEXT NOT NULL DEFAULT 'STATED',
            reported_by  TEXT,
            rationale    TEXT,
            hedge        TEXT,
            period_start TEXT,
            period_end   TEXT,
            date_basis   TEXT
        ) STRICT;
        """;

    public const string CreateObservationsTable = """
        CREATE TABLE IF NOT EXISTS observations (
            key          TEXT PRIMARY KEY,
            subject      TEXT NOT NULL REFERENCES entities (key),
            metric       TEXT NOT NULL,
            value        TEXT NOT NULL,
            unit         TEXT NOT NULL,
            precision    TEXT NOT NULL,
            period_start TEXT,
            period_end   TEXT,
            duration     TEXT,
            region       TEXT REFERENCES entities (key),
            note         TEXT,
            citations    TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed',
            basis        TEXT NOT NULL DEFAULT 'STATED',
            reported_by  TEXT,
            rationale    TEXT,
            hedge        TEXT,
            date_basis   TEXT,
            share_of     TEXT
        ) STRICT;
        """;

    public const string ObservationsBySubjectIndex = "CREATE INDEX IF NOT EXISTS observations_by_subject ON observations (subject, metric, key);";

    // A claim's entities are a JSON array of keys: claims are few and read by key, by entity (a scan of a small
    // table) or all at once.
    public const string CreateClaimsTable = """
        CREATE TABLE IF NOT EXISTS claims (
            key         TEXT PRIMARY KEY,
            text_en     TEXT NOT NULL,
            text_fr     TEXT NOT NULL,
            about       TEXT NOT NULL,
            basis       TEXT NOT NULL DEFAULT 'STATED',
            reported_by TEXT,
            rationale   TEXT,
            hedge       TEXT,
            citations   TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        """;

    // The id is explicit (an INTEGER PRIMARY KEY keeps its value through VACUUM, an implicit rowid may not) because it
    // is the rowid of the entity's search row: a search row is found, replaced and deleted through it.
    public const string CreateEntitiesTable = """
        CREATE TABLE IF NOT EXISTS entities (
            id             INTEGER PRIMARY KEY,
            key            TEXT NOT NULL UNIQUE,
            kind           TEXT NOT NULL,
            name_en        TEXT NOT NULL,
            name_fr        TEXT NOT NULL,
            description_en TEXT NOT NULL,
            description_fr TEXT NOT NULL,
            aliases        TEXT NOT NULL,
            citations      TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        """;

    // One row per entity, its rowid the entity's id.
    public const string CreateSearchTable = """
        CREATE VIRTUAL TABLE IF NOT EXISTS entity_search USING fts5 (
            names,
            aliases,
            descriptions,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """;

    // Upgrade of a version 1 file (SqliteGraphStore.Upgrade.cs).
    public const string IsVersion1Layout = """
        SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'entities')
           AND NOT EXISTS (SELECT 1 FROM pragma_table_info('entities') WHERE name = 'id')
        """;

    // Run in one transaction with foreign keys off, since they would refuse dropping a table that other tables point
    // at; the foreign key check that follows stands in for them. legacy_alter_table leaves the children's
    // "REFERENCES entities (key)" alone when the old table is renamed, so they point at the new table, whose DDL is
    // then exactly what CreateSchema makes. Entities keep their order, now numbered by id.
    public const string UpgradeFromVersion1 = $"""
        PRAGMA legacy_alter_table = ON;
        ALTER TABLE entities RENAME TO entities_version1;
        {CreateEntitiesTable}
        INSERT INTO entities (key, kind, name_en, name_fr, description_en, description_fr, aliases, citations, origin)
        SELECT key, kind, name_en, name_fr, description_en, description_fr, aliases, citations, origin
        FROM entities_version1 ORDER BY rowid;
        DROP TABLE entities_version1;
        PRAGMA legacy_alter_table = OFF;
        {EntitiesByKindIndex}
        {EntitiesByNameEnIndex}
        {EntitiesByNameFrIndex}
        {EntitiesByFoldEnIndex}
        {EntitiesByFoldFrIndex}
        DROP INDEX relationships_by_from;
        DROP INDEX relationships_by_to;
        {RelationshipsByFromIndex}
        {RelationshipsByToIndex}
        DROP TABLE entity_search;
        {CreateSearchTable}
        {InsertAllSearchRows};
        """;

    public const string ForeignKeyCheck = "PRAGMA foreign_key_check";

    // Only outside a transaction, and only on a connection of its own that is never pooled.
    public const string ForeignKeysOff = "PRAGMA foreign_keys = OFF";

    public const string ReadMeta = "SELECT value FROM meta WHERE name = $name";

    public const string WriteMeta = """
        INSERT INTO meta (name, value) VALUES ($name, $value)
        ON CONFLICT (name) DO UPDATE SET value = excluded.value
        """;

    public const string CreateSourcesTable = """
        CREATE TABLE IF NOT EXISTS sources (
            key          TEXT PRIMARY KEY,
            title_en     TEXT NOT NULL,
            title_fr     TEXT NOT NULL,
            language     TEXT NOT NULL,
            published_on TEXT NOT NULL,
            url          TEXT,
            retrieved_on TEXT,
            text         TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        """;

    public const string UpsertSource = """
        INSERT INTO sources (key, title_en, title_fr, language, published_on, url, retrieved_on, text, origin)
        VALUES ($key, $title_en, $title_fr, $language, $published_on, $url, $retrieved_on, $text, $origin)
        ON CONFLICT (key) DO UPDATE SET
            title_en = excluded.title_en, title_fr = excluded.title_fr, language = excluded.language,
            published_on = excluded.published_on, url = excluded.url, retrieved_on = excluded.retrieved_on,
            text = excluded.text, origin = excluded.origin
        """;

    // An update keeps the entity's id, so its search row is replaced in place.
    public const string UpsertEntity = """
        INSERT INTO entities (key, kind, name_en, name_fr, description_en, description_fr, aliases, citations, origin)
        VALUES ($key, $kind, $name_en, $name_fr, $description_en, $description_fr, $aliases, $citations, $origin)
        ON CONFLICT (key) DO UPDATE SET
            kind = excluded.kind, name_en = excluded.name_en, name_fr = excluded.name_fr,
            description_en = excluded.description_en, description_fr = excluded.description_fr,
            aliases = excluded.aliases, citations = excluded.citations, origin = excluded.origin
        RETURNING id
        """;

    // The text an entity is found by, written here only, so that seeding, writes, the import and the upgrade all
    // index the same words: both names; the aliases, then the key's words (as aliases, so that a long key, an
    // endorsement's, does not outrank the entity a word names); both descriptions. Columns: rowid, names, aliases,
    // descriptions, of the entity aliased e.
    public const string SearchRowOfEntity = """
        e.id,
        e.name_en || ' ' || e.name_fr,
        coalesce((SELECT group_concat(a.value ->> '$.text', ' ' ORDER BY a.key) FROM json_each(e.aliases) AS a) || ' ', '') || replace(e.key, '-', ' '),
        e.description_en || ' ' || e.description_fr
        """;

    /// <summary>Removes an entity's search row by its id, the row's rowid: one lookup, never a scan.</summary>
    public const string DeleteSearchRow = "DELETE FROM entity_search WHERE rowid = $id";

    public const string InsertSearchRow = $"INSERT INTO entity_search (rowid, names, aliases, descriptions) SELECT {SearchRowOfEntity} FROM entities AS e WHERE e.id = $id";

    /// <summary>A search row for every entity, in one pass; for an empty search table.</summary>
    public const string InsertAllSearchRows = $"INSERT INTO entity_search (rowid, names, aliases, descriptions) SELECT {SearchRowOfEntity} FROM entities AS e";

    public const string UpsertRelationship = """
        INSERT INTO relationships (key, type, from_key, to_key, properties, citations, origin,
            basis, reported_by, rationale, hedge, period_start, period_end, date_basis)
        VALUES ($key, $type, $from_key, $to_key, $properties, $citations, $origin,
            $basis, $reported_by, $rationale, $hedge, $period_start, $period_end, $date_basis)
        ON CONFLICT (key) DO UPDATE SET
            type = excluded.type, from_key = excluded.from_key, to_key = excluded.to_key,
            properties = excluded.properties, citations = excluded.citations, origin = excluded.origin,
            basis = excluded.basis, reported_by = excluded.reported_by, rationale = excluded.rationale, hedge = excluded.hedge,
            period_start = excluded.period_start, period_end = excluded.period_end, date_basis = excluded.date_basis
        """;

    public const string UpsertObservation = """
        INSERT INTO observations (key, subject, metric, value, unit, precision, period_start, period_end, duration, region, note, citations, origin,
            basis, reported_by, rationale, hedge, date_basis, share_of)
        VALUES ($key, $subject, $metric, $value, $unit, $precision, $period_start, $period_end, $duration, $region, $note, $citations, $origin,
            $basis, $reported_by, $rationale, $hedge, $date_basis, $share_of)
        ON CONFLICT (key) DO UPDATE SET
            subject = excluded.subject, metric = excluded.metric, value = excluded.value, unit = excluded.unit,
            precision = excluded.precision, period_start = excluded.period_start, period_end = excluded.period_end,
            duration = excluded.duration, region = excluded.region, note = excluded.note, citations = excluded.citations,
            origin = excluded.origin, basis = excluded.basis, reported_by = excluded.reported_by, rationale = excluded.rationale,
            hedge = excluded.hedge, date_basis = excluded.date_basis, share_of = excluded.share_of
        """;

    public const string UpsertClaim = """
        INSERT INTO claims (key, text_en, text_fr, about, basis, reported_by, rationale, hedge, citations, origin)
        VALUES ($key, $text_en, $text_fr, $about, $basis, $reported_by, $rationale, $hedge, $citations, $origin)
        ON CONFLICT (key) DO UPDATE SET
            text_en = excluded.text_en, text_fr = excluded.text_fr, about = excluded.about, basis = excluded.basis,
            reported_by = excluded.reported_by, rationale = excluded.rationale, hedge = excluded.hedge,
            citations = excluded.citations, origin = excluded.origin
        """;

    public const string UpsertQuote = """
        INSERT INTO quotes (key, speaker, text, language, translation, citations, origin)
        VALUES ($key, $speaker, $text, $language, $translation, $citations, $origin)
        ON CONFLICT (key) DO UPDATE SET
            speaker = excluded.speaker, text = excluded.text, language = excluded.language,
            translation = excluded.translation, citations = excluded.citations, origin = excluded.origin
        """;

    // A record that came from the seed and that the seed no longer holds is removed, children before the entities
    // they point at. Records partners wrote (origin 'write') are theirs, and a seed change leaves them alone.
    public const string DeleteClaimsNotIn = "DELETE FROM claims WHERE origin = 'seed' AND key NOT IN (SELECT value FROM json_each($keys))";
    public const string DeleteQuotesNotIn = "DELETE FROM quotes WHERE origin = 'seed' AND key NOT IN (SELECT value FROM json_each($keys))";
    public const string DeleteObservationsNotIn = "DELETE FROM observations WHERE origin = 'seed' AND key NOT IN (SELECT value FROM json_each($keys))";
    public const string DeleteRelationshipsNotIn = "DELETE FROM relationships WHERE origin = 'seed' AND key NOT IN (SELECT value FROM json_each($keys))";
    public const string DeleteOrphanSearchRows = "DELETE FROM entity_search WHERE rowid NOT IN (SELECT id FROM entities)";
    public const string DeleteEntitiesNotIn = "DELETE FROM entities WHERE origin = 'seed' AND key NOT IN (SELECT value FROM json_each($keys))";
    public const string DeleteSourcesNotIn = "DELETE FROM sources WHERE origin = 'seed' AND key NOT IN (SELECT value FROM json_each($keys))";

    public const string EntityColumns = "key, kind, name_en, name_fr, description_en, description_fr, aliases, citations";

    public const string EntitiesByKeys = $"SELECT {EntityColumns} FROM entities WHERE key IN (SELECT value FROM json_each($keys))";

    // Provenance columns come last (version 3 added them), read by SqliteRows.ReadProvenance.
    public const string RelationshipColumns = "key, type, from_key, to_key, properties, citations, basis, reported_by, rationale, hedge, period_start, period_end, date_basis";

    public const string RelationshipsByKeys = $"SELECT {RelationshipColumns} FROM relationships WHERE key IN (SELECT value FROM json_each($keys))";

    // $types is a JSON array of type names, or NULL for every type.
    public const string RelationshipsFrom = $"""
        SELECT {RelationshipColumns} FROM relationships
        WHERE from_key IN (SELECT value FROM json_each($keys))
          AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))
        """;

    public const string RelationshipsTo = $"""
        SELECT {RelationshipColumns} FROM relationships
        WHERE to_key IN (SELECT value FROM json_each($keys))
          AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))
        """;

    public const string ObservationColumns = "key, subject, metric, value, unit, precision, period_start, period_end, duration, region, note, citations, basis, reported_by, rationale, hedge, date_basis, share_of";

    public const string ClaimColumns = "key, text_en, text_fr, about, basis, reported_by, rationale, hedge, citations";

    /// <summary>
    /// The (type, key) of a page of facts of <c>$bases</c> (a JSON array, NULL for all) after (<c>$after_key</c>,
    /// <c>$after_type</c>), ordered by key then type name, at most <c>$limit</c>.
    /// </summary>
    public const string FactKeys = """
        SELECT type, key FROM (
            SELECT 'Relationship' AS type, key, basis FROM relationships
            UNION ALL SELECT 'Observation', key, basis FROM observations
            UNION ALL SELECT 'Claim', key, basis FROM claims)
        WHERE ($bases IS NULL OR basis IN (SELECT value FROM json_each($bases)))
          AND ($after_key IS NULL OR key > $after_key OR (key = $after_key AND type > $after_type))
        ORDER BY key, type
        LIMIT $limit
        """;

    public const string ClaimsByKeys = $"SELECT {ClaimColumns} FROM claims WHERE key IN (SELECT value FROM json_each($keys))";

    /// <summary>Claims about any of <c>$keys</c> (a JSON array), or every claim when <c>$keys</c> is NULL, by key.</summary>
    public const string ClaimsAbout = $"""
        SELECT {ClaimColumns} FROM claims
        WHERE $keys IS NULL OR EXISTS (SELECT 1 FROM json_each(about) AS a WHERE a.value IN (SELECT value FROM json_each($keys)))
        ORDER BY key
        """;

    public const string ObservationsByKeys = $"SELECT {ObservationColumns} FROM observations WHERE key IN (SELECT value FROM json_each($keys))";

    public const string ObservationsOf = $"""
        SELECT {ObservationColumns} FROM observations
        WHERE subject IN (SELECT value FROM json_each($keys)) AND ($metric IS NULL OR metric = $metric)
        ORDER BY key
        """;

    public const string ObservationsMatching = $"""
        SELECT {ObservationColumns} FROM observations
        WHERE ($subject IS NULL OR subject = $subject)
          AND ($metric IS NULL OR metric = $metric)
          AND ($region IS NULL OR region = $region)
        ORDER BY key
        """;

    public const string QuoteColumns = "key, speaker, text, language, translation, citations";

    public const string QuotesByKeys = $"SELECT {QuoteColumns} FROM quotes WHERE key IN (SELECT value FROM json_each($keys))";

    public const string QuotesOf = $"SELECT {QuoteColumns} FROM quotes WHERE speaker IN (SELECT value FROM json_each($keys)) ORDER BY key";

    public const string QuotesMatching = $"SELECT {QuoteColumns} FROM quotes WHERE ($speaker IS NULL OR speaker = $speaker) ORDER BY key";

    public const string SourceColumns = "key, title_en, title_fr, language, published_on, url, text, retrieved_on";

    public const string AllSources = $"SELECT {SourceColumns} FROM sources ORDER BY key";

    public const string SourcesByKeys = $"SELECT {SourceColumns} FROM sources WHERE key IN (SELECT value FROM json_each($keys)) ORDER BY key";

    // Ranked full-text search. Column weights: names count most, then aliases, then descriptions.
    // Both limits are literals: SQLite (3.49) marks a statement whose LIMIT is a bound parameter, in a join over the
    // FTS5 subquery, as depending on that value, and compiles it again on every run however it was kept (55 µs of
    // a 70 µs search statement). So the text is one per power of two of rows wanted (at least 32), and the reader
    // stops at the rows it needs: the order is total, so those are the rows an exact LIMIT gives.
    private static readonly string SearchTemplate = string.Create(CultureInfo.InvariantCulture, $"""
        SELECT {EntityColumns}, score FROM (
            SELECT rowid AS hit_id, -bm25(entity_search, 10.0, 6.0, 1.0) AS score
            FROM entity_search WHERE entity_search MATCH $match
            LIMIT {SearchQuery.MaxMatches}
        ) AS hits
        JOIN entities ON entities.id = hits.hit_id
        WHERE ($kinds IS NULL OR kind IN (SELECT value FROM json_each($kinds)))
        ORDER BY score DESC, key
        LIMIT @rows
        """);

    private static readonly string?[] SearchTexts = new string?[32];

    /// <summary>The search statement for at least <paramref name="rows"/> rows: one fixed text per power of two.</summary>
    public static string Search(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var bucket = Math.Max(5, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(rows - 1)));
        return SearchTexts[bucket] ??= SearchTemplate.Replace(
            "@rows", bucket == 31 ? int.MaxValue.ToString(CultureInfo.InvariantCulture) : (1 << bucket).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    // One hop of a breadth-first walk: the key and endpoints of every relationship touching the frontier, in either
    // direction. Only what the walk needs is read; the relationships on the paths found are read in full afterwards.
    public const string NeighbourhoodLinks = """
        SELECT key, from_key, to_key FROM relationships
        WHERE from_key IN (SELECT value FROM json_each($keys))
          AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))
        UNION ALL
        SELECT key, from_key, to_key FROM relationships
        WHERE to_key IN (SELECT value FROM json_each($keys))
          AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))
        """;

    // The path search's picture of the graph: every relationship's key, type and ends, and whether there are more than
    // $limit of them (counting stops there, so a large graph costs no full scan).
    public const string PathTopologyRows = "SELECT key, type, from_key, to_key FROM relationships";

    public const string RelationshipsBeyond = "SELECT count(*) > $limit FROM (SELECT 1 FROM relationships LIMIT $limit + 1)";

    public const string Ping = "SELECT count(*) FROM meta";

    // The write path. Records are compared through their JSON snapshot, so a write that changes nothing says so.
    public const string EntitySnapshotRow = $"SELECT {EntityColumns} FROM entities WHERE key = $key";
    public const string RelationshipSnapshotRow = $"SELECT {RelationshipColumns} FROM relationships WHERE key = $key";
    public const string ObservationSnapshotRow = $"SELECT {ObservationColumns} FROM observations WHERE key = $key";
    public const string QuoteSnapshotRow = $"SELECT {QuoteColumns} FROM quotes WHERE key = $key";
    public const string ClaimSnapshotRow = $"SELECT {ClaimColumns} FROM claims WHERE key = $key";
    public const string DeleteClaim = "DELETE FROM claims WHERE key = $key";
    public const string SourceSnapshotRow = $"SELECT {SourceColumns} FROM sources WHERE key = $key";

    public const string DeleteEntity = "DELETE FROM entities WHERE key = $key RETURNING id";
    public const string DeleteRelationship = "DELETE FROM relationships WHERE key = $key";
    public const string DeleteObservation = "DELETE FROM observations WHERE key = $key";
    public const string DeleteQuote = "DELETE FROM quotes WHERE key = $key";
    public const string DeleteSource = "DELETE FROM sources WHERE key = $key";

    /// <summary>What hangs off an entity and goes with it when it is retracted.</summary>
    public const string DependentsOfEntity = """
        SELECT 'Relationship', key FROM relationships WHERE from_key = $key OR to_key = $key
        UNION ALL SELECT 'Observation', key FROM observations WHERE subject = $key OR region = $key
        UNION ALL SELECT 'Quote', key FROM quotes WHERE speaker = $key
        UNION ALL SELECT 'Claim', key FROM claims WHERE EXISTS (SELECT 1 FROM json_each(about) AS a WHERE a.value = $key)
        """;

    // The live records citing a source: a cited source cannot be retracted, nor its text changed under its citations.
    private const string CitesSource = "EXISTS (SELECT 1 FROM json_each(citations) AS c WHERE json_extract(c.value, '$.source') = $key)";
    public const string EntitiesCiting = $"SELECT {EntityColumns} FROM entities WHERE {CitesSource}";
    public const string RelationshipsCiting = $"SELECT {RelationshipColumns} FROM relationships WHERE {CitesSource}";
    public const string ObservationsCiting = $"SELECT {ObservationColumns} FROM observations WHERE {CitesSource}";
    public const string QuotesCiting = $"SELECT {QuoteColumns} FROM quotes WHERE {CitesSource}";
    public const string ClaimsCiting = $"SELECT {ClaimColumns} FROM claims WHERE {CitesSource}";

    public const string InsertHistory = """
        INSERT INTO history (record_type, record_key, outcome, actor, at, reason, snapshot, revision)
        VALUES ($record_type, $record_key, $outcome, $actor, $at, $reason, $snapshot, $revision)
        """;

    public const string HistoryOf = """
        SELECT record_type, record_key, outcome, actor, at, reason, snapshot, revision FROM history
        WHERE record_type = $record_type AND record_key = $record_key ORDER BY id
        """;

    public const string WasRetracted = """
        SELECT EXISTS (SELECT 1 FROM history WHERE record_type = $record_type AND record_key = $record_key AND outcome = 'Retracted')
        """;

    public const string NextRevision = """
        INSERT INTO meta (name, value) VALUES ('revision', '1')
        ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
        RETURNING CAST(value AS INTEGER)
        """;

    public const string CurrentRevision = "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'revision'), 0)";
}
