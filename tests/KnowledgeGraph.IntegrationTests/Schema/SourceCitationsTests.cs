using System.Text.Json;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

public sealed class SourceCitationsTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string SourceKey = "whatsapp-privacy-exodus-2021";

    private const string Reader = """
        query($key: String!) {
          source(key: $key) {
            text
            citations {
              excerpt start end
              record {
                __typename id
                ... on Entity { key }
                ... on Relationship { key }
                ... on Observation { key }
                ... on Quote { key }
                ... on Claim { key }
              }
            }
            uncitedPassages { excerpt start end source { key } }
          }
        }
        """;

    [Fact]
    public async Task A_source_lists_every_record_citing_it_ordered_by_offset_with_excerpts_standing_at_their_offsets()
    {
        var source = Ok(await app.PostAsync(Reader, new { key = SourceKey })).GetProperty("source");
        var text = source.GetProperty("text").GetString()!;
        var citations = source.GetProperty("citations").EnumerateArray().ToList();

        var records = citations.Select(c => (Type: c.GetProperty("record").GetProperty("__typename").GetString(), Key: c.GetProperty("record").GetProperty("key").GetString())).ToHashSet();
        Assert.Contains(("App", "whatsapp"), records);
        Assert.Contains(("Relationship", "facebook-owns-whatsapp"), records);
        Assert.Contains(records, r => r.Type == "Observation");
        Assert.Contains(records, r => r.Type == "Quote");
        Assert.Contains(("Claim", "nothing-may-change"), records);
        var starts = citations.Select(c => c.GetProperty("start").GetInt32()).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.All(citations, c => Assert.Equal(
            c.GetProperty("excerpt").GetString(),
            SourceSentences.Slice(text, c.GetProperty("start").GetInt32(), c.GetProperty("end").GetInt32())));
    }

    [Fact]
    public async Task The_uncited_passages_are_whole_sentences_that_no_citation_overlaps()
    {
        // The seed's article is cited throughout (seed/README.md lists no uncited sentence), so a source of its own.
        const string Text = "Threema est une messagerie suisse. Elle est chiffrée. Elle est payante.\n\nUn titre";
        var partner = await app.IssueKeyAsync(KnowledgeGraph.Security.ApiRole.Partner);
        Ok(await app.PostWithKeyAsync(partner, """
            mutation($text: String!) {
              upsertSource(input: { key: "threema-uncited", title: { en: "T", fr: "T" }, language: FR, publishedOn: "2024", text: $text }) { changed }
            }
            """, new { text = Text }));
        Ok(await app.PostWithKeyAsync(partner, """
            mutation {
              upsertEntity(input: {
                key: "threema-uncited-app", kind: APP, name: { en: "Threema", fr: "Threema" }
                description: { en: "A Swiss messaging app.", fr: "Une messagerie suisse." }
                citations: [
                  { source: "threema-uncited", excerpt: "Threema est une messagerie", start: 0, end: 26 }
                  { source: "threema-uncited", excerpt: "payante", start: 63, end: 70 }
                ]
              }) { changed }
            }
            """));

        var source = Ok(await app.PostAsync(Reader, new { key = "threema-uncited" })).GetProperty("source");
        var cited = source.GetProperty("citations").EnumerateArray().Select(Span).ToList();
        var uncited = source.GetProperty("uncitedPassages").EnumerateArray().ToList();

        Assert.Equal(
            [("Elle est chiffrée.", 35, 53), ("Un titre", 73, 81)],
            uncited.Select(p => (p.GetProperty("excerpt").GetString()!, Span(p).Start, Span(p).End)));
        Assert.All(uncited, passage =>
        {
            var (start, end) = Span(passage);
            Assert.DoesNotContain(cited, span => span.Start < end && start < span.End);
            Assert.Equal(passage.GetProperty("excerpt").GetString(), SourceSentences.Slice(Text, start, end));
            Assert.Equal("threema-uncited", passage.GetProperty("source").GetProperty("key").GetString());
        });
    }

    [Fact]
    public async Task A_record_citing_the_source_can_be_fetched_again_by_its_id()
    {
        var source = Ok(await app.PostAsync(Reader, new { key = SourceKey })).GetProperty("source");
        var relationship = source.GetProperty("citations").EnumerateArray()
            .Select(c => c.GetProperty("record"))
            .First(r => r.GetProperty("__typename").GetString() == "Relationship");

        var node = Ok(await app.PostAsync("query($id: ID!) { node(id: $id) { ... on Relationship { key } } }", new { id = relationship.GetProperty("id").GetString() }));

        Assert.Equal(relationship.GetProperty("key").GetString(), node.GetProperty("node").GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("Un. Deux ! Trois ? Quatre…", "Un.|Deux !|Trois ?|Quatre…")]
    [InlineData("Il a dit « non. » Puis il est parti.", "Il a dit « non. »|Puis il est parti.")]
    [InlineData("Titre sans point\n\nLe texte suit. ", "Titre sans point|Le texte suit.")]
    [InlineData("Il y avait 1,5 million d’utilisateurs, soit 1.5 million.", "Il y avait 1,5 million d’utilisateurs, soit 1.5 million.")]
    [InlineData("  \n ", "")]
    public void Sentences_end_at_a_full_stop_before_white_space_and_at_each_line_break(string text, string expected)
    {
        var sentences = SourceSentences.Split(text).Select(s => SourceSentences.Slice(text, s.Start, s.End));

        Assert.Equal(expected, string.Join('|', sentences));
    }

    [Fact]
    public void Sentence_offsets_count_code_points_so_they_match_citation_offsets()
    {
        // 😀 is two UTF-16 units but one code point.
        const string text = "😀 Un. Deux.";

        var sentences = SourceSentences.Split(text);

        Assert.Equal([(0, 5), (6, 11)], sentences);
        Assert.Equal("Deux.", SourceSentences.Slice(text, 6, 11));
        Assert.Equal(11, text.EnumerateRunes().Count());
    }

    private static (int Start, int End) Span(JsonElement citation) =>
        (citation.GetProperty("start").GetInt32(), citation.GetProperty("end").GetInt32());
}
