using System.Collections.Frozen;

namespace KnowledgeGraph.Domain;

/// <summary>What an entity is. Serialized in the seed and the API as upper snake case (<c>COMPANY</c>).</summary>
public enum EntityKind
{
    Company,
    Person,
    App,
    Platform,
    Region,
    Controversy,
    Endorsement,
}

/// <summary>The type of a directed relationship. Serialized as upper snake case (<c>PUBLISHED_ON</c>).</summary>
public enum RelationshipType
{
    /// <summary>A company owns an app or another company.</summary>
    Owns,
    /// <summary>A person founded a company or an app.</summary>
    Founded,
    /// <summary>A person leads a company or an app, in the role the relationship names.</summary>
    Leads,
    /// <summary>A person gave an endorsement.</summary>
    Gave,
    /// <summary>An endorsement recommends an app.</summary>
    Endorses,
    /// <summary>An endorsement was published on a platform.</summary>
    PublishedOn,
    /// <summary>A company, app or person is involved in a controversy.</summary>
    InvolvedIn,
    /// <summary>An app or company benefited from a controversy.</summary>
    BenefitedFrom,
    /// <summary>An app competes with another app.</summary>
    CompetesWith,
    /// <summary>A person criticized a company, an app or its practices.</summary>
    Criticized,
    /// <summary>An app reached the top of a platform's download chart.</summary>
    ToppedChart,
    /// <summary>An app took another app's place, for example at the top of a download chart.</summary>
    Displaced,
    /// <summary>An app is distributed through a platform such as an app store.</summary>
    AvailableOn,
}

/// <summary>How the source knows a fact.</summary>
public enum Basis
{
    /// <summary>The source asserts it in its own voice.</summary>
    Stated,
    /// <summary>The source relays someone's statement ("selon Pavel Durov"): the fact is the reporter's.</summary>
    Reported,
    /// <summary>The source implies it without saying it; the fact carries the rationale of the inference.</summary>
    Inferred,
}

/// <summary>How a fact's date is known.</summary>
public enum DateBasis
{
    /// <summary>The source gives the date itself.</summary>
    Stated,
    /// <summary>The source dates it only relative to its own publication ("cette semaine"); the date is derived from the source's publishedOn.</summary>
    RelativeToSource,
}

/// <summary>How exactly a figure is known.</summary>
public enum Precision
{
    /// <summary>The figure is an exact count, stated as is.</summary>
    Exact,
    /// <summary>The figure is approximate ("environ", "about").</summary>
    Approximate,
    /// <summary>The true value is above the figure ("plus de", "more than", "dépassé").</summary>
    MoreThan,
    /// <summary>The true value is at least the figure.</summary>
    AtLeast,
    /// <summary>The true value is at most the figure.</summary>
    AtMost,
    /// <summary>A round figure the source gives in round words, such as "25 millions": not an exact count.</summary>
    Rounded,
}

/// <summary>The languages names, descriptions and labels are kept in.</summary>
public enum Language
{
    En,
    Fr,
}

/// <summary>Converts vocabulary values to and from their upper snake case wire names.</summary>
public static class Vocabulary
{
    public static string ToWireName<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        WireNames<TEnum>.Names.TryGetValue(value, out var name) ? name : Compose(value.ToString());

    public static bool TryParse<TEnum>(string? wireName, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return !string.IsNullOrEmpty(wireName) && WireNames<TEnum>.Values.TryGetValue(wireName, out value);
    }

    public static TEnum Parse<TEnum>(string wireName)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(wireName, out var value)
            ? value
            : throw new FormatException($"'{wireName}' is not a {typeof(TEnum).Name}.");

    /// <summary>The ISO 639-1 code of a language (<c>en</c>, <c>fr</c>).</summary>
    public static string ToCode(Language language) => language == Language.Fr ? "fr" : "en";

    public static bool TryParseLanguageCode(string? code, out Language language)
    {
        language = Language.En;
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        var primary = code.Trim().Split('-', '_')[0];
        if (primary.Equals("fr", StringComparison.OrdinalIgnoreCase))
        {
            language = Language.Fr;
            return true;
        }

        return primary.Equals("en", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Upper snake case of a member name: <c>PublishedOn</c> is <c>PUBLISHED_ON</c>.</summary>
    private static string Compose(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Each vocabulary's wire names, composed once: every row a store reads parses a few of them, and composing each
    /// candidate's name on every parse was a few percent of a request's CPU.
    /// </summary>
    private static class WireNames<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Names = Enum.GetValues<TEnum>()
            .Distinct()
            .ToFrozenDictionary(value => value, value => Compose(value.ToString()));

        // The first member with a name wins, as when every member was tried in order.
        public static readonly FrozenDictionary<string, TEnum> Values = Enum.GetValues<TEnum>()
            .DistinctBy(value => Names[value], StringComparer.Ordinal)
            .ToFrozenDictionary(value => Names[value], value => value, StringComparer.Ordinal);
    }
}
