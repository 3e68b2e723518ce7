using KnowledgeGraph.Domain;

namespace KnowledgeGraph.UnitTests;

public sealed class VocabularyTests
{
    [Theory]
    [InlineData(RelationshipType.PublishedOn, "PUBLISHED_ON")]
    [InlineData(RelationshipType.Owns, "OWNS")]
    [InlineData(RelationshipType.ToppedChart, "TOPPED_CHART")]
    public void Wire_names_are_upper_snake_case_and_round_trip(RelationshipType type, string wire)
    {
        Assert.Equal(wire, Vocabulary.ToWireName(type));
        Assert.Equal(type, Vocabulary.Parse<RelationshipType>(wire));
    }

    [Theory]
    [InlineData("published_on")]
    [InlineData("PublishedOn")]
    [InlineData("")]
    public void Other_spellings_are_not_accepted(string wire) =>
        Assert.False(Vocabulary.TryParse<RelationshipType>(wire, out _));

    [Theory]
    [InlineData("pavel-durov", true)]
    [InlineData("whatsapp-terms-update-2021", true)]
    [InlineData("Pavel-Durov", false)]
    [InlineData("pavel--durov", false)]
    [InlineData("-pavel", false)]
    [InlineData("pavel_durov", false)]
    [InlineData("", false)]
    public void Keys_must_be_lower_case_kebab_case(string key, bool wellFormed) =>
        Assert.Equal(wellFormed, EntityKey.IsWellFormed(key));
}
