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

    public static async Task ValidateAsync(GraphWrite write, IGraphStore store, CancellationToken cancellationToken)
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

        // What the write refers to that it does not hold itself is looked up in the store, in two batched calls.
        var retracted = write.Retractions.Where(r => r.Type == RecordType.Entity).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var kinds = write.Entities.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Kind);
        var referenced = write.Relationships.SelectMany(r => new[] { r.From, r.To })
            .Concat(write.Observations.Select(o => o.Subject))
            .Concat(write.Observations.Where(o => o.Region is not null).Select(o => o.Region!.Value))
            .Concat(write.Quotes.Select(q => q.Speaker))
            .Where(k => !kinds.ContainsKey(k))
            .Distinct()
            .ToList();
        foreach (var (key, entity) in await store.GetEntitiesAsync(referenced, cancellationToken))
        {
            kinds[key] = entity.Kind;
        }

        var texts = write.Sources.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var citedSources = AllCitations(write).Select(c => c.Source).Where(s => !texts.ContainsKey(s)).Distinct(StringComparer.Ordinal).ToList();
        if (citedSources.Count > 0)
        {
            foreach (var (key, source) in await store.GetSourcesAsync(citedSources, cancellationToken))
            {
                texts[key] = source.Text;
            }
        }

        problems.AddRange(Check(write, kinds, texts));
        if (problems.Count > 0)
        {
            throw new WriteValidationException(problems);
        }
    }

    /// <summary>
    /// Every problem of a write, given the kinds of the entities it refers to and the texts of the sources it cites
    /// (what it holds itself included): the checks <see cref="ValidateAsync"/> runs once it has looked those up.
    /// </summary>
    public static IReadOnlyList<WriteProblem> Check(
        GraphWrite write, IReadOnlyDictionary<EntityKey, EntityKind> kinds, IReadOnlyDictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(write);
        var problems = new List<WriteProblem>();
        var retracted = write.Retractions.Where(r => r.Type == RecordType.Entity).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var check = new Checker(problems, kinds, retracted, texts);
        check.Sources(write.Sources);
        check.Entities(write.Entities);
        check.Relationships(write.Relationships);
        check.Observations(write.Observations);
        check.Quotes(write.Quotes);
        check.Retractions(write.Retractions);
        return problems;
    }

    /// <summary>The graph as a write of everything it holds, checked as one: how the seed is validated.</summary>
    public static IReadOnlyList<WriteProblem> Check(GraphSnapshot graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var write = new GraphWrite(graph.Sources, graph.Entities, graph.Relationships, graph.Observations, graph.Quotes, []);
        return Check(
            write,
            graph.Entities.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Kind),
            graph.Sources.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal));
    }

    private static IEnumerable<Citation> AllCitations(GraphWrite write) =>
        write.Entities.SelectMany(e => e.Citations)
            .Concat(write.Relationships.SelectMany(r => r.Citations))
            .Concat(write.Observations.SelectMany(o => o.Citations))
            .Concat(write.Quotes.SelectMany(q => q.Citations));

    private sealed class Checker(
        List<WriteProblem> problems,
        IReadOnlyDictionary<EntityKey, EntityKind> kinds,
        HashSet<string> retracted,
        IReadOnlyDictionary<string, string> texts)
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

                Citations(path, relationship.Citations);
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

                foreach (var (field, value) in new[] { ("periodStart", observation.PeriodStart), ("periodEnd", observation.PeriodEnd) })
                {
                    if (value is not null && !FactRules.IsPartialDate(value))
                    {
                        Fail($"{path}.{field}", $"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
                    }
                }

                if (observation.Duration is not null && !FactRules.IsDuration(observation.Duration))
                {
                    Fail(path + ".duration", $"'{observation.Duration}' is not an ISO 8601 duration such as PT72H");
                }

                Citations(path, observation.Citations);
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
