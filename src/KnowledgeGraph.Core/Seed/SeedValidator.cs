using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Seed;

/// <summary>Checks seed entries and turns them into domain records, adding a <see cref="SeedProblem"/> per fault.</summary>
internal sealed class SeedValidator(
    string directory,
    IReadOnlyDictionary<string, string> texts,
    List<SeedProblem> problems,
    IReadOnlySet<string> unreadableKeys)
{
    private readonly CitationChecker _citations = new(texts);
    // An entity whose kind is unknown maps to null: it exists (for references) but its kind cannot be checked.
    private Dictionary<string, EntityKind?> _entityKinds = new(StringComparer.Ordinal);
    private HashSet<string> _sourceKeys = new(StringComparer.Ordinal);

    public GraphSnapshot Validate(
        IReadOnlyList<SourceDto> sources,
        IReadOnlyList<EntityDto> entities,
        IReadOnlyList<RelationshipDto> relationships,
        IReadOnlyList<ObservationDto> observations,
        IReadOnlyList<QuoteDto> quotes)
    {
        var validSources = ValidateSources(sources);
        _sourceKeys = validSources.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

        // Entity kinds are collected first so that references can be checked whatever the order of the files.
        _entityKinds = new Dictionary<string, EntityKind?>(StringComparer.Ordinal);
        foreach (var entity in entities)
        {
            _entityKinds.TryAdd(entity.Key, Vocabulary.TryParse<EntityKind>(entity.Kind, out var kind) ? kind : null);
        }

        foreach (var key in unreadableKeys)
        {
            _entityKinds.TryAdd(key, null);
        }

        return new GraphSnapshot(
            validSources,
            ValidateEntities(entities),
            ValidateRelationships(relationships),
            ValidateObservations(observations),
            ValidateQuotes(quotes));
    }

    private List<Source> ValidateSources(IReadOnlyList<SourceDto> sources)
    {
        var result = new List<Source>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        for (var i = 0; i < sources.Count; i++)
        {
            var dto = sources[i];
            var entry = new Entry(this, SeedLoader.SourcesFile, dto.Key, i);
            entry.CheckKey(seen);
            var language = entry.ParseLanguage(dto.Language, "language");
            entry.CheckPartialDate(dto.PublishedOn, "publishedOn");
            entry.CheckText(dto.Title, "title");
            var path = Path.GetFullPath(Path.Combine(directory, dto.File));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                entry.Fail($"file '{dto.File}' is outside the seed folder");
            }
            else if (!File.Exists(path))
            {
                entry.Fail($"file '{dto.File}' does not exist");
            }

            if (entry.IsValid && texts.TryGetValue(dto.Key, out var text))
            {
                result.Add(new Source(dto.Key, ToText(dto.Title), language ?? Language.En, dto.PublishedOn, dto.Url, text));
            }
        }

        return result;
    }

    private List<Entity> ValidateEntities(IReadOnlyList<EntityDto> entities)
    {
        var result = new List<Entity>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entities.Count; i++)
        {
            var dto = entities[i];
            var entry = new Entry(this, SeedLoader.EntitiesFile, dto.Key, i);
            entry.CheckKey(seen);
            var kind = entry.ParseEnum<EntityKind>(dto.Kind, "kind");
            entry.CheckText(dto.Name, "name");
            entry.CheckText(dto.Description, "description");
            var aliases = new List<EntityAlias>();
            foreach (var alias in dto.Aliases ?? [])
            {
                if (string.IsNullOrWhiteSpace(alias.Text))
                {
                    entry.Fail("an alias is empty");
                }

                var language = alias.Language is null ? null : entry.ParseLanguage(alias.Language, "alias language");
                aliases.Add(new EntityAlias(alias.Text, language));
            }

            var citations = entry.CheckCitations(dto.Citations);
            if (entry.IsValid)
            {
                result.Add(new Entity(new EntityKey(dto.Key), kind!.Value, ToText(dto.Name), ToText(dto.Description), aliases, citations));
            }
        }

        return result;
    }

    private List<Relationship> ValidateRelationships(IReadOnlyList<RelationshipDto> relationships)
    {
        var result = new List<Relationship>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < relationships.Count; i++)
        {
            var dto = relationships[i];
            var entry = new Entry(this, SeedLoader.RelationshipsFile, dto.Key, i);
            entry.CheckKey(seen);
            var type = entry.ParseEnum<RelationshipType>(dto.Type, "type");
            entry.CheckReference(dto.From, "from", null);
            entry.CheckReference(dto.To, "to", null);
            if (dto.From == dto.To)
            {
                entry.Fail($"'from' and 'to' are the same entity '{dto.From}'");
            }

            var properties = dto.Properties;
            if (properties is not null)
            {
                entry.CheckText(properties.Role, "properties.role", optional: true);
                entry.CheckText(properties.Note, "properties.note", optional: true);
                if (properties.OccurredOn is not null)
                {
                    entry.CheckPartialDate(properties.OccurredOn, "properties.occurredOn");
                }
            }

            var citations = entry.CheckCitations(dto.Citations);
            if (entry.IsValid)
            {
                var typed = properties is null
                    ? RelationshipProperties.None
                    : RelationshipProperties.Of(ToTextOrNull(properties.Role), properties.Chart, properties.OccurredOn, ToTextOrNull(properties.Note));
                result.Add(new Relationship(dto.Key, type!.Value, new EntityKey(dto.From), new EntityKey(dto.To), typed, citations));
            }
        }

        return result;
    }

    private List<Observation> ValidateObservations(IReadOnlyList<ObservationDto> observations)
    {
        var result = new List<Observation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < observations.Count; i++)
        {
            var dto = observations[i];
            var entry = new Entry(this, SeedLoader.ObservationsFile, dto.Key, i);
            entry.CheckKey(seen);
            entry.CheckReference(dto.Subject, "subject", null);
            if (dto.Region is not null)
            {
                entry.CheckReference(dto.Region, "region", EntityKind.Region);
            }

            if (!FactRules.IsMetric(dto.Metric))
            {
                entry.Fail($"metric '{dto.Metric}' must be upper snake case, such as NEW_USERS");
            }

            if (string.IsNullOrWhiteSpace(dto.Unit))
            {
                entry.Fail("unit is empty");
            }

            var precision = entry.ParseEnum<Precision>(dto.Precision, "precision");
            if (dto.PeriodStart is not null)
            {
                entry.CheckPartialDate(dto.PeriodStart, "periodStart");
            }

            if (dto.PeriodEnd is not null)
            {
                entry.CheckPartialDate(dto.PeriodEnd, "periodEnd");
            }

            if (dto.Duration is not null && !FactRules.IsDuration(dto.Duration))
            {
                entry.Fail($"duration '{dto.Duration}' is not an ISO 8601 duration such as PT72H");
            }

            entry.CheckText(dto.Note, "note", optional: true);
            var citations = entry.CheckCitations(dto.Citations);
            if (entry.IsValid)
            {
                result.Add(new Observation(
                    dto.Key,
                    new EntityKey(dto.Subject),
                    dto.Metric,
                    dto.Value,
                    dto.Unit,
                    precision!.Value,
                    dto.PeriodStart,
                    dto.PeriodEnd,
                    dto.Duration,
                    dto.Region is null ? null : new EntityKey(dto.Region),
                    ToTextOrNull(dto.Note),
                    citations));
            }
        }

        return result;
    }

    private List<Quote> ValidateQuotes(IReadOnlyList<QuoteDto> quotes)
    {
        var result = new List<Quote>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < quotes.Count; i++)
        {
            var dto = quotes[i];
            var entry = new Entry(this, SeedLoader.QuotesFile, dto.Key, i);
            entry.CheckKey(seen);
            entry.CheckReference(dto.Speaker, "speaker", EntityKind.Person);
            var language = entry.ParseLanguage(dto.Language, "language");
            if (string.IsNullOrWhiteSpace(dto.Text))
            {
                entry.Fail("text is empty");
            }

            var citations = entry.CheckCitations(dto.Citations);
            if (entry.IsValid)
            {
                result.Add(new Quote(dto.Key, new EntityKey(dto.Speaker), dto.Text, language!.Value, dto.Translation, citations));
            }
        }

        return result;
    }

    private static LocalizedText ToText(LocalizedTextDto dto) => new(dto.En, dto.Fr);

    private static LocalizedText? ToTextOrNull(LocalizedTextDto? dto) => dto is null ? null : ToText(dto);

    /// <summary>The checks of one entry, which remember whether any failed.</summary>
    private sealed class Entry(SeedValidator validator, string file, string? key, int index)
    {
        private readonly string _name = string.IsNullOrEmpty(key) ? $"entry #{index + 1}" : $"entry '{key}' (#{index + 1})";

        public bool IsValid { get; private set; } = true;

        public void Fail(string problem)
        {
            IsValid = false;
            validator.Problems.Add(new SeedProblem(file, _name, problem));
        }

        public void CheckKey(HashSet<string> seen)
        {
            if (!EntityKey.IsWellFormed(key))
            {
                Fail($"key '{key}' is not lower-case kebab-case");
            }
            else if (!seen.Add(key!))
            {
                Fail($"duplicate key '{key}'");
            }
        }

        public TEnum? ParseEnum<TEnum>(string value, string field)
            where TEnum : struct, Enum
        {
            if (Vocabulary.TryParse<TEnum>(value, out var parsed))
            {
                return parsed;
            }

            var allowed = string.Join(", ", Enum.GetValues<TEnum>().Select(Vocabulary.ToWireName));
            Fail($"unknown {field} '{value}' (expected one of {allowed})");
            return null;
        }

        public Language? ParseLanguage(string value, string field)
        {
            switch (value)
            {
                case "en":
                    return Language.En;
                case "fr":
                    return Language.Fr;
                default:
                    Fail($"unknown {field} '{value}' (expected \"en\" or \"fr\")");
                    return null;
            }
        }

        public void CheckText(LocalizedTextDto? text, string field, bool optional = false)
        {
            if (text is null)
            {
                if (!optional)
                {
                    Fail($"{field} is missing");
                }

                return;
            }

            if (string.IsNullOrWhiteSpace(text.En) || string.IsNullOrWhiteSpace(text.Fr))
            {
                Fail($"{field} needs both an English and a French text");
            }
        }

        public void CheckPartialDate(string value, string field)
        {
            if (!FactRules.IsPartialDate(value))
            {
                Fail($"{field} '{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
            }
        }

        public void CheckReference(string referenced, string field, EntityKind? expectedKind)
        {
            if (!validator._entityKinds.TryGetValue(referenced, out var kind))
            {
                Fail($"{field} '{referenced}' is not the key of any entity in {SeedLoader.EntitiesFile}");
            }
            else if (expectedKind is { } expected && kind is { } actual && actual != expected)
            {
                Fail($"{field} '{referenced}' is a {Vocabulary.ToWireName(actual)}, not a {Vocabulary.ToWireName(expected)}");
            }
        }

        public List<Citation> CheckCitations(IReadOnlyList<CitationDto>? citations)
        {
            if (citations is null || citations.Count == 0)
            {
                Fail("it has no citation; every fact must cite its source");
                return [];
            }

            var result = new List<Citation>(citations.Count);
            for (var i = 0; i < citations.Count; i++)
            {
                var citation = citations[i];
                var label = $"citation {i + 1}";
                if (!validator._sourceKeys.Contains(citation.Source))
                {
                    Fail($"{label}: source '{citation.Source}' is not in {SeedLoader.SourcesFile}");
                    continue;
                }

                if (validator._citations.Check(citation.Source, citation.Start, citation.End, citation.Excerpt) is { } problem)
                {
                    Fail($"{label}: {problem.Message}");
                }
                else
                {
                    result.Add(new Citation(citation.Source, citation.Excerpt, citation.Start, citation.End));
                }
            }

            return result;
        }
    }

    private List<SeedProblem> Problems => problems;
}
