using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.GraphQL.Types;

/// <summary>Turns mutation inputs into the domain records the write path validates and stores.</summary>
public static class WriteMapping
{
    public static GraphWrite ToWrite(GraphWriteInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new GraphWrite(
            [.. (input.Sources ?? []).Select(ToSource)],
            [.. (input.Entities ?? []).Select(ToEntity)],
            [.. (input.Relationships ?? []).Select(ToRelationship)],
            [.. (input.Observations ?? []).Select((o, i) => ToObservation(o, i))],
            [.. (input.Quotes ?? []).Select(ToQuote)],
            [.. (input.Retractions ?? []).Select(r => new Retraction(r.Type, r.Key, r.Reason))])
        {
            Claims = [.. (input.Claims ?? []).Select(ToClaim)],
        };
    }

    public static Source ToSource(SourceInput s) => new(s.Key, Text(s.Title), s.Language, s.PublishedOn, s.Url, s.Text) { RetrievedOn = s.RetrievedOn };

    public static Entity ToEntity(EntityInput e) => new(
        new EntityKey(e.Key),
        e.Kind,
        Text(e.Name),
        Text(e.Description),
        [.. (e.Aliases ?? []).Select(a => new EntityAlias(a.Text, a.Language))],
        Citations(e.Citations));

    public static Relationship ToRelationship(RelationshipInput r) => new(
        r.Key,
        r.Type,
        new EntityKey(r.From),
        new EntityKey(r.To),
        RelationshipProperties.Of(TextOrNull(r.Role), r.Chart, r.OccurredOn, TextOrNull(r.Note)),
        Citations(r.Citations))
    {
        Provenance = Provenance(r),
        PeriodStart = r.PeriodStart,
        PeriodEnd = r.PeriodEnd,
        DateBasis = FactRules.DateBasisOrStated(r.DateBasis, r.PeriodStart ?? r.PeriodEnd),
    };

    public static Claim ToClaim(ClaimInput c) =>
        new(c.Key, Text(c.Text), [.. c.About.Select(k => new EntityKey(k))], Provenance(c), Citations(c.Citations));

    /// <summary>As in the seed format: a missing basis is STATED.</summary>
    private static FactProvenance Provenance(FactInput f) =>
        f.Basis is null && f.ReportedBy is null && f.Rationale is null && f.Hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(f.Basis ?? Basis.Stated, f.ReportedBy is null ? null : new EntityKey(f.ReportedBy), TextOrNull(f.Rationale), f.Hedge);


    /// <summary>
    /// The observation of an input; a figure no store keeps (beyond <see cref="FactRules.MaxFigure"/>) is refused here,
    /// before it becomes a decimal, at <c>observations[index].value</c>.
    /// </summary>
    public static Observation ToObservation(ObservationInput o, int index = 0) => new(
        o.Key,
        new EntityKey(o.Subject),
        o.Metric,
        FactRules.IsKeptFigure(o.Value)
            ? (decimal)o.Value
            : throw new KnowledgeGraph.Writes.WriteValidationException(
                [new KnowledgeGraph.Writes.WriteProblem($"observations[{index}].value", $"{o.Value} is beyond the figures kept, up to {FactRules.MaxFigure:0e0} either way")]),
        o.Unit,
        o.Precision,
        o.PeriodStart,
        o.PeriodEnd,
        o.Duration,
        o.Region is null ? null : new EntityKey(o.Region),
        TextOrNull(o.Note),
        Citations(o.Citations))
    {
        Provenance = Provenance(o),
        DateBasis = FactRules.DateBasisOrStated(o.DateBasis, o.PeriodStart ?? o.PeriodEnd),
        ShareOf = o.ShareOf,
    };

    public static Quote ToQuote(QuoteInput q) => new(q.Key, new EntityKey(q.Speaker), q.Text, q.Language, q.Translation, Citations(q.Citations));

    private static LocalizedText Text(LocalizedTextInput text) => new(text.En, text.Fr);

    private static LocalizedText? TextOrNull(LocalizedTextInput? text) => text is null ? null : Text(text);

    private static List<Citation> Citations(List<CitationInput> citations) =>
        [.. citations.Select(c => new Citation(c.Source, c.Excerpt, c.Start ?? Citation.Unplaced, c.End ?? Citation.Unplaced))];
}
