using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Writes;

/// <summary>
/// The one validator of the graph's records, whatever brings them: the seed, writes, imports and CSV. Checks keys,
/// both-language and bounded text without control characters, references and kinds, dates, metrics, figures, and
/// that every fact cites a source whose text holds the excerpt at the given offsets. Refuses the whole write with
/// every problem found, each with the path of the bad input.
/// </summary>
public static class WriteValidator
{
    public const int MaxRecordsPerWrite = 10_000;

    /// <summary>
    /// Refuses the write with every problem found, looking up in the store what it refers to and does not hold; answers
    /// the write with its citations placed (those given without offsets found in their sources' texts).
    /// </summary>
    public static async Task<GraphWrite> ValidateAsync(GraphWrite write, IGraphStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(store);
        var problems = new List<WriteProblem>();
        if (write.Count == 0)
        {
            throw new WriteValidationException([new WriteProblem("input", "the write holds nothing")]);
        }

        if (write.Count > MaxRecordsPerWrite)
        {
            throw new WriteValidationException([new WriteProblem("input", $"a write holds at most {MaxRecordsPerWrite} records; split it into batches")]);
        }

        // What the write refers to that it does not hold itself is looked up in the store, in batched calls.
        var kinds = write.Entities.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Kind);
        var referenced = write.Relationships.SelectMany(r => new[] { r.From, r.To })
            .Concat(write.Observations.Select(o => o.Subject))
            .Concat(write.Observations.Where(o => o.Region is not null).Select(o => o.Region!.Value))
            .Concat(write.Quotes.Select(q => q.Speaker))
            .Concat(write.Claims.SelectMany(c => c.About))
            .Concat(Provenances(write).Where(p => p.ReportedBy is not null).Select(p => p.ReportedBy!.Value))
            .Where(k => !kinds.ContainsKey(k))
            .Distinct()
            .ToList();
        foreach (var (key, entity) in await store.GetEntitiesAsync(referenced, cancellationToken))
        {
            kinds[key] = entity.Kind;
        }

        var written = write.Observations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var shares = write.Observations.Where(o => o.ShareOf is not null && !written.Contains(o.ShareOf)).Select(o => o.ShareOf!).Distinct(StringComparer.Ordinal).ToList();
        var stored = shares.Count == 0 ? [] : (await store.GetObservationsAsync(shares, cancellationToken)).Keys.ToHashSet(StringComparer.Ordinal);

        var texts = write.Sources.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var citedSources = AllCitations(write).Select(c => c.Source).Where(s => !texts.ContainsKey(s)).Distinct(StringComparer.Ordinal).ToList();
        if (citedSources.Count > 0)
        {
            foreach (var (key, source) in await store.GetSourcesAsync(citedSources, cancellationToken))
            {
                texts[key] = source.Text;
            }
        }

        var placed = PlaceCitations(write, texts, problems);
        problems.AddRange(Check(placed, kinds, texts, stored));
        if (problems.Count > 0)
        {
            throw new WriteValidationException(problems);
        }

        return placed;
    }

    /// <summary>
    /// Every problem of a write, given the kinds of the entities it refers to, the texts of the sources it cites (what
    /// it holds itself included) and the keys of stored observations it names as totals: the checks
    /// <see cref="ValidateAsync"/> runs once it has looked those up and placed the citations (a citation still without
    /// offsets is <see cref="PlaceCitations"/>'s to report).
    /// </summary>
    public static IReadOnlyList<WriteProblem> Check(
        GraphWrite write,
        IReadOnlyDictionary<EntityKey, EntityKind> kinds,
        IReadOnlyDictionary<string, string> texts,
        IReadOnlySet<string>? storedObservations = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var problems = new List<WriteProblem>();
        var retracted = write.Retractions.Where(r => r.Type == RecordType.Entity).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var observations = write.Observations.Select(o => o.Key).Concat(storedObservations ?? new HashSet<string>()).ToHashSet(StringComparer.Ordinal);
        var check = new Checker(problems, kinds, retracted, texts, observations);
        check.Sources(write.Sources);
        check.Entities(write.Entities);
        check.Relationships(write.Relationships);
        check.Observations(write.Observations);
        check.Quotes(write.Quotes);
        check.Claims(write.Claims);
        check.Retractions(write.Retractions);
        return problems;
    }

    /// <summary>
    /// The graph checked as one write of everything it holds, its citations placed first: how the seed is validated.
    /// The graph answered is the one to load.
    /// </summary>
    public static (GraphSnapshot Graph, IReadOnlyList<WriteProblem> Problems) Check(GraphSnapshot graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var texts = graph.Sources.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var problems = new List<WriteProblem>();
        var write = PlaceCitations(new GraphWrite(graph.Sources, graph.Entities, graph.Relationships, graph.Observations, graph.Quotes, []) { Claims = graph.Claims }, texts, problems);
        problems.AddRange(Check(write, graph.Entities.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Kind), texts));
        return (new GraphSnapshot(write.Sources, write.Entities, write.Relationships, write.Observations, write.Quotes) { Claims = write.Claims }, problems);
    }

    /// <summary>The write with every citation given without offsets placed (<see cref="CitationLocator"/>); a citation that cannot be is a problem at its path.</summary>
    public static GraphWrite PlaceCitations(GraphWrite write, IReadOnlyDictionary<string, string> texts, List<WriteProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(problems);
        if (!AllCitations(write).Any(c => c.IsUnplaced))
        {
            return write;
        }

        List<Citation> Place(string path, IReadOnlyList<Citation> citations)
        {
            var result = new List<Citation>(citations.Count);
            for (var i = 0; i < citations.Count; i++)
            {
                var (citation, field, problem) = CitationLocator.Place(citations[i], texts);
                if (problem is not null)
                {
                    problems.Add(new WriteProblem($"{path}.citations[{i}].{field}", problem));
                }

                result.Add(citation);
            }

            return result;
        }

        return new GraphWrite(
            write.Sources,
            [.. write.Entities.Select((e, i) => e with { Citations = Place($"entities[{i}]", e.Citations) })],
            [.. write.Relationships.Select((r, i) => r with { Citations = Place($"relationships[{i}]", r.Citations) })],
            [.. write.Observations.Select((o, i) => o with { Citations = Place($"observations[{i}]", o.Citations) })],
            [.. write.Quotes.Select((q, i) => q with { Citations = Place($"quotes[{i}]", q.Citations) })],
            write.Retractions)
        {
            Claims = [.. write.Claims.Select((c, i) => c with { Citations = Place($"claims[{i}]", c.Citations) })],
        };
    }

    private static IEnumerable<FactProvenance> Provenances(GraphWrite write) =>
        write.Relationships.Select(r => r.Provenance).Concat(write.Observations.Select(o => o.Provenance)).Concat(write.Claims.Select(c => c.Provenance));

    private static IEnumerable<Citation> AllCitations(GraphWrite write) =>
        write.Entities.SelectMany(e => e.Citations)
            .Concat(write.Relationships.SelectMany(r => r.Citations))
            .Concat(write.Observations.SelectMany(o => o.Citations))
            .Concat(write.Quotes.SelectMany(q => q.Citations))
            .Concat(write.Claims.SelectMany(c => c.Citations));

    private sealed class Checker(
        List<WriteProblem> problems,
        IReadOnlyDictionary<EntityKey, EntityKind> kinds,
        HashSet<string> retracted,
        IReadOnlyDictionary<string, string> texts,
        HashSet<string> observationKeys)
    {
        private readonly CitationChecker _citations = new(texts);

        public void Sources(IReadOnlyList<Source> sources)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < sources.Count; i++)
            {
                var path = $"sources[{i}]";
                var source = sources[i];
                Key(path, source.Key, seen);
                Text(path + ".title", source.Title);
                if (!FactRules.IsPartialDate(source.PublishedOn))
                {
                    Fail(path + ".publishedOn", $"'{source.PublishedOn}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
                }

                if (source.RetrievedOn is not null && !FactRules.IsPartialDate(source.RetrievedOn))
                {
                    Fail(path + ".retrievedOn", $"'{source.RetrievedOn}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
                }

                if (string.IsNullOrWhiteSpace(source.Text))
                {
                    Fail(path + ".text", "a source needs its text, which citations point into");
                }

                Plain(path + ".text", source.Text, FactRules.MaxSourceText, multiline: true);
                Plain(path + ".url", source.Url, FactRules.MaxShortText, multiline: false);
            }
        }

        public void Entities(IReadOnlyList<Entity> entities)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < entities.Count; i++)
            {
                var path = $"entities[{i}]";
                var entity = entities[i];
                Key(path, entity.Key.Value, seen);
                Text(path + ".name", entity.Name);
                Text(path + ".description", entity.Description, FactRules.MaxLongText);
                for (var a = 0; a < entity.Aliases.Count; a++)
                {
                    if (string.IsNullOrWhiteSpace(entity.Aliases[a].Text))
                    {
                        Fail($"{path}.aliases[{a}].text", "an alias is empty");
                    }

                    Plain($"{path}.aliases[{a}].text", entity.Aliases[a].Text, FactRules.MaxShortText, multiline: false);
                }

                Citations(path, entity.Citations);
            }
        }

        public void Relationships(IReadOnlyList<Relationship> relationships)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < relationships.Count; i++)
            {
                var path = $"relationships[{i}]";
                var relationship = relationships[i];
                Key(path, relationship.Key, seen);
                Reference(path + ".from", relationship.From, null);
                Reference(path + ".to", relationship.To, null);
                if (relationship.From == relationship.To)
                {
                    Fail(path + ".to", "a relationship must link two different entities");
                }

                if (relationship.Properties.OccurredOn is { } occurred && !FactRules.IsPartialDate(occurred))
                {
                    Fail(path + ".occurredOn", $"'{occurred}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
                }

                OptionalText(path + ".role", relationship.Properties.Role, FactRules.MaxShortText);
                OptionalText(path + ".note", relationship.Properties.Note, FactRules.MaxLongText);
                Plain(path + ".chart", relationship.Properties.Chart, FactRules.MaxShortText, multiline: false);
                Period(path, relationship.PeriodStart, relationship.PeriodEnd, relationship.DateBasis);
                Citations(path, relationship.Citations);
                Provenance(path, relationship.Provenance, relationship.Citations);
            }
        }

        public void Observations(IReadOnlyList<Observation> observations)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < observations.Count; i++)
            {
                var path = $"observations[{i}]";
                var observation = observations[i];
                Key(path, observation.Key, seen);
                Reference(path + ".subject", observation.Subject, null);
                if (observation.Region is { } region)
                {
                    Reference(path + ".region", region, EntityKind.Region);
                }

                if (!FactRules.IsMetric(observation.Metric))
                {
                    Fail(path + ".metric", $"'{observation.Metric}' must be upper snake case, such as NEW_USERS");
                }

                if (string.IsNullOrWhiteSpace(observation.Unit))
                {
                    Fail(path + ".unit", "the unit is empty");
                }

                Plain(path + ".unit", observation.Unit, FactRules.MaxShortText, multiline: false);
                OptionalText(path + ".note", observation.Note, FactRules.MaxLongText);
                if (Math.Abs(observation.Value) > (decimal)FactRules.MaxFigure)
                {
                    Fail(path + ".value", $"figures are kept up to {FactRules.MaxFigure:0e0} either way");
                }

                Period(path, observation.PeriodStart, observation.PeriodEnd, observation.DateBasis);
                if (observation.Duration is not null && !FactRules.IsDuration(observation.Duration))
                {
                    Fail(path + ".duration", $"'{observation.Duration}' is not an ISO 8601 duration such as PT72H");
                }

                if (observation.ShareOf is { } total)
                {
                    if (string.Equals(total, observation.Key, StringComparison.Ordinal))
                    {
                        Fail(path + ".shareOf", "a figure cannot be a share of itself");
                    }
                    else if (!observationKeys.Contains(total))
                    {
                        Fail(path + ".shareOf", $"no observation has the key '{total}'");
                    }
                }

                Citations(path, observation.Citations);
                Provenance(path, observation.Provenance, observation.Citations);
            }
        }

        public void Quotes(IReadOnlyList<Quote> quotes)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < quotes.Count; i++)
            {
                var path = $"quotes[{i}]";
                var quote = quotes[i];
                Key(path, quote.Key, seen);
                Reference(path + ".speaker", quote.Speaker, EntityKind.Person);
                if (string.IsNullOrWhiteSpace(quote.Text))
                {
                    Fail(path + ".text", "the text is empty");
                }

                Plain(path + ".text", quote.Text, FactRules.MaxLongText, multiline: true);
                Plain(path + ".translation", quote.TranslationEn, FactRules.MaxLongText, multiline: true);

                Citations(path, quote.Citations);
            }
        }

        public void Claims(IReadOnlyList<Claim> claims)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < claims.Count; i++)
            {
                var path = $"claims[{i}]";
                var claim = claims[i];
                Key(path, claim.Key, seen);
                Text(path + ".text", claim.Text, FactRules.MaxLongText);
                if (claim.About.Count == 0)
                {
                    Fail(path + ".about", "a claim is about at least one entity");
                }

                for (var a = 0; a < claim.About.Count; a++)
                {
                    Reference($"{path}.about[{a}]", claim.About[a], null);
                }

                Citations(path, claim.Citations);
                Provenance(path, claim.Provenance, claim.Citations);
            }
        }

        public void Retractions(IReadOnlyList<Retraction> retractions)
        {
            for (var i = 0; i < retractions.Count; i++)
            {
                var path = $"retractions[{i}]";
                if (string.IsNullOrWhiteSpace(retractions[i].Key))
                {
                    Fail(path + ".key", "the key is empty");
                }

                if (string.IsNullOrWhiteSpace(retractions[i].Reason))
                {
                    Fail(path + ".reason", "a retraction must say why");
                }

                Plain(path + ".reason", retractions[i].Reason, FactRules.MaxLongText, multiline: true);
            }
        }

        private void Fail(string path, string message) => problems.Add(new WriteProblem(path, message));

        // REPORTED names its reporter and INFERRED its rationale, and only they do; a hedge is the source's own words.
        private void Provenance(string path, FactProvenance provenance, IReadOnlyList<Citation> citations)
        {
            if (provenance.ReportedBy is { } reporter)
            {
                if (provenance.Basis != Basis.Reported)
                {
                    Fail(path + ".reportedBy", $"only a REPORTED fact names who reported it; this one is {Vocabulary.ToWireName(provenance.Basis)}");
                }
                else
                {
                    Reference(path + ".reportedBy", reporter, null);
                }
            }
            else if (provenance.Basis == Basis.Reported)
            {
                Fail(path + ".reportedBy", "a REPORTED fact names whose statement the source relays");
            }

            if (provenance.Rationale is { } rationale)
            {
                if (provenance.Basis != Basis.Inferred)
                {
                    Fail(path + ".rationale", $"only an INFERRED fact has a rationale; this one is {Vocabulary.ToWireName(provenance.Basis)}");
                }
                else
                {
                    Text(path + ".rationale", rationale, FactRules.MaxLongText);
                }
            }
            else if (provenance.Basis == Basis.Inferred)
            {
                Fail(path + ".rationale", "an INFERRED fact says in both languages why the inference holds");
            }

            if (provenance.Hedge is { } hedge)
            {
                if (string.IsNullOrWhiteSpace(hedge))
                {
                    Fail(path + ".hedge", "the hedge is empty; leave it out when the source does not hedge");
                }
                else if (FactRules.TextProblem(hedge, FactRules.MaxShortText, multiline: false) is { } problem)
                {
                    Fail(path + ".hedge", problem);
                }
                else if (!citations.Any(c => c.Excerpt.Contains(hedge, StringComparison.Ordinal)))
                {
                    Fail(path + ".hedge", $"\"{FactRules.Abbreviate(hedge)}\" is in none of the record's citation excerpts; a hedge is the source's own words, verbatim");
                }
            }
        }

        // Partial dates, the start not after the end, and a dateBasis exactly when there is a period.
        private void Period(string path, string? start, string? end, DateBasis? dateBasis)
        {
            foreach (var (field, value) in new[] { ("periodStart", start), ("periodEnd", end) })
            {
                if (value is not null && !FactRules.IsPartialDate(value))
                {
                    Fail($"{path}.{field}", $"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
                }
            }

            if (FactRules.IsPartialDate(start) && FactRules.IsPartialDate(end) && !FactRules.IsOrderedPeriod(start!, end!))
            {
                Fail(path + ".periodEnd", $"the period ends ({end}) before it starts ({start})");
            }

            if (dateBasis is null && (start is not null || end is not null))
            {
                Fail(path + ".dateBasis", "a dated fact says how its date is known: STATED, or RELATIVE_TO_SOURCE when derived from the source's publication date");
            }
            else if (dateBasis is not null && start is null && end is null)
            {
                Fail(path + ".dateBasis", "a dateBasis qualifies a period; give periodStart or periodEnd, or leave dateBasis out");
            }
        }

        private void Key(string path, string key, HashSet<string> seen)
        {
            if (!EntityKey.IsWellFormed(key))
            {
                Fail(path + ".key", $"'{key}' is not lower-case kebab-case (letters, digits, single hyphens)");
            }
            else if (!seen.Add(key))
            {
                Fail(path + ".key", $"'{key}' appears twice in this write");
            }
        }

        private void Text(string path, LocalizedText text, int maxLength = FactRules.MaxShortText)
        {
            if (string.IsNullOrWhiteSpace(text.En) || string.IsNullOrWhiteSpace(text.Fr))
            {
                Fail(path, "needs both an English and a French text");
            }

            OptionalText(path, text, maxLength);
        }

        private void OptionalText(string path, LocalizedText? text, int maxLength)
        {
            var multiline = maxLength > FactRules.MaxShortText;
            Plain(path + ".en", text?.En, maxLength, multiline);
            Plain(path + ".fr", text?.Fr, maxLength, multiline);
        }

        private void Plain(string path, string? text, int maxLength, bool multiline)
        {
            if (FactRules.TextProblem(text, maxLength, multiline) is { } problem)
            {
                Fail(path, problem);
            }
        }

        private void Reference(string path, EntityKey key, EntityKind? expected)
        {
            if (!kinds.TryGetValue(key, out var kind))
            {
                Fail(path, $"no entity has the key '{key}'");
            }
            else if (retracted.Contains(key.Value))
            {
                Fail(path, $"'{key}' is retracted by this same write");
            }
            else if (expected is { } e && kind != e)
            {
                Fail(path, $"'{key}' is a {Vocabulary.ToWireName(kind)}, not a {Vocabulary.ToWireName(e)}");
            }
        }

        private void Citations(string path, IReadOnlyList<Citation> citations)
        {
            if (citations.Count == 0)
            {
                Fail(path + ".citations", "every fact must cite its source: give at least one citation");
                return;
            }

            for (var c = 0; c < citations.Count; c++)
            {
                var at = $"{path}.citations[{c}]";
                if (FactRules.TextProblem(citations[c].Excerpt, FactRules.MaxLongText, multiline: true) is { } textProblem)
                {
                    Fail(at + ".excerpt", textProblem);
                    continue;
                }

                if (citations[c].IsUnplaced)
                {
                    continue; // one PlaceCitations could not place, and reported
                }

                if (_citations.Check(citations[c]) is { } problem)
                {
                    Fail(problem.Kind switch
                    {
                        CitationProblemKind.UnknownSource => at + ".source",
                        CitationProblemKind.ExcerptMismatch => at + ".excerpt",
                        _ => at,
                    }, problem.Message);
                }
            }
        }
    }
}
