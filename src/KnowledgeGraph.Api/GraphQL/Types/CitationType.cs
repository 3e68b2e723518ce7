using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class CitationType : ObjectGraphType<Citation>
{
    public CitationType()
    {
        Name = "Citation";
        Description = "Where a fact comes from: the exact excerpt of a source that states it, and where it stands.";
        Field<NonNullGraphType<SourceType>>("source")
            .Description("The source the excerpt is taken from.")
            .Resolve(context => context.Loaders().Sources.LoadOrGet(context.Source.Source));
        Field(c => c.Excerpt).Description("The source's own words, exactly as they stand at `start`..`end`.");
        Field(c => c.Start).Description("Where the excerpt starts, in Unicode code points from the start of the source text.");
        Field(c => c.End).Description("Where the excerpt ends (exclusive), in Unicode code points.");
        Field<NonNullGraphType<IntGraphType>>("utf16Start")
            .Description("Where the excerpt starts in UTF-16 code units, the offsets JavaScript strings use (`text.slice(utf16Start, utf16End)`).")
            .Resolve(c => Utf16(c, c.Source.Start));
        Field<NonNullGraphType<IntGraphType>>("utf16End")
            .Description("Where the excerpt ends (exclusive) in UTF-16 code units.")
            .Resolve(c => Utf16(c, c.Source.End));
    }

    // The source is loaded with its siblings' (one batch per level), its text counted once per citation.
    private static object Utf16(IResolveFieldContext<Citation> context, int codePoint) =>
        context.Loaders().Sources.LoadOrGet(context.Source.Source, s => s is null ? codePoint : FactRules.Utf16Index(s.Text, codePoint))!;
}

public sealed class SourceType : ObjectGraphType<Source>
{
    public SourceType()
    {
        Name = "Source";
        Description = "A document facts are taken from.";
        Interface<NodeInterface>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.").Resolve(c => GlobalId.Encode(Name, c.Source.Key));
        Field(s => s.Key).Description("The source's stable key.");
        Field<NonNullGraphType<StringGraphType>>("title")
            .Description("The source's title.")
            .Argument<LanguageEnumType>("lang", "The language of the title; defaults to the request's Accept-Language, then English.")
            .Resolve(c => c.Source.Title.In(c.Language()));
        Field<NonNullGraphType<LanguageEnumType>>("language").Description("The language the source is written in.").Resolve(c => c.Source.Language);
        Field(s => s.PublishedOn).Description("When the source was published: YYYY, YYYY-MM or YYYY-MM-DD, as precisely as known.");
        Field(s => s.RetrievedOn, nullable: true).Description("When its text was retrieved from its url (YYYY, YYYY-MM or YYYY-MM-DD): the version of a page that may change that citations point into. Null when not recorded.");
        Field(s => s.Url, nullable: true).Description("Where the source was published, when known.");
        Field(s => s.Text).Description("The full text of the source, which citations' offsets point into.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceCitationType>>>>("citations")
            .Description($"Every excerpt of this source that a record cites, with the record, ordered by `start` (for graphs of at most {SourceCitations.MaxScannedEntities} entities).")
            .ResolveAsync(SourceCitations.ResolveCitationsAsync);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("uncitedPassages")
            .Description("The sentences of this source that no record cites, in order: what the graph leaves out.")
            .ResolveAsync(SourceCitations.ResolveUncitedPassagesAsync);
    }
}
