using KnowledgeGraph.Storage;

namespace KnowledgeGraph.UnitTests.Storage;

/// <summary>
/// Core's fold for name conditions, the one truth both stores compare with (SQLite calls it as kg_fold, Neo4j stores
/// its result as foldEn/foldFr): a name and any casing or accenting of it fold to the same text.
/// </summary>
public class TextFoldTests
{
    [Theory]
    [InlineData("Élysée", "elysee")]
    [InlineData("ÉLYSÉE", "elysee")]
    [InlineData("E\u0301lyse\u0301e", "elysee")] // typed decomposed: letters followed by combining accents
    [InlineData("Straße", "strasse")]
    [InlineData("STRAẞE", "strasse")] // the capital sharp s
    [InlineData("İstanbul", "istanbul")] // Turkish dotted capital I
    [InlineData("ıstanbul", "istanbul")] // Turkish dotless i
    [InlineData("ТЕЛЕГРАМ", "телеграм")]
    [InlineData("Ёлка", "елка")]
    [InlineData("Οδυσσέας", "οδυσσεασ")] // final sigma and tonos
    [InlineData("ΟΔΥΣΣΕΑΣ", "οδυσσεασ")]
    [InlineData("Ϊ ΐ ΰ", "ι ι υ")]
    [InlineData("Œuvre d’Æsop", "oeuvre d'aesop")]
    [InlineData("whatsapp", "whatsapp")]
    public void A_name_folds_to_lower_case_without_accents_in_every_script_the_sources_use(string name, string folded) =>
        Assert.Equal(folded, TextFold.Fold(name));

    [Theory]
    [InlineData("Οδυσσέας", "ΟΔΥΣΣΕΑΣ")]
    [InlineData("İstanbul", "ISTANBUL")]
    [InlineData("Straße", "STRASSE")]
    [InlineData("Élysée", "E\u0301LYSE\u0301E")]
    [InlineData("Телеграм", "телеГРАМ")]
    public void Two_spellings_of_one_name_fold_alike(string one, string other) =>
        Assert.Equal(TextFold.Fold(one), TextFold.Fold(other));
}
