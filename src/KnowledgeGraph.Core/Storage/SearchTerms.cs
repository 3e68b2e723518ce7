using System.Globalization;
using System.Text;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Storage;

/// <summary>
/// What a person typed, as the words every store must match. Text is folded (lower case, accents removed) and cut
/// into runs of letters and digits; anything else (query syntax included) only separates words, so no input can be
/// anything but words. Every word must match: all but the last as whole words, the last as the start of a word (it
/// may still be being typed). Only the first <see cref="MaxWords"/> words count.
/// </summary>
public sealed record SearchTerms
{
    /// <summary>How many words a search considers; later words are ignored. Each word is one more index list to intersect.</summary>
    public const int MaxWords = 8;

    private SearchTerms(IReadOnlyList<string> words, string folded)
    {
        Words = words;
        Folded = folded;
    }

    /// <summary>The folded words to match, at most <see cref="MaxWords"/>, in the order typed.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The whole text folded, words joined by one space: what an exact name must equal.</summary>
    public string Folded { get; }

    /// <summary>The words matched whole: all but the last.</summary>
    public IEnumerable<string> WholeWords => Words.Take(Words.Count - 1);

    /// <summary>The word matched as a prefix: the last; null when there is no word.</summary>
    public string? Prefix => Words.Count == 0 ? null : Words[^1];

    public static SearchTerms Parse(string? text)
    {
        var folded = Fold(text ?? string.Empty);
        var words = folded.Length == 0 ? [] : folded.Split(' ').Take(MaxWords).ToList();
        return new SearchTerms(words, folded);
    }

    /// <summary>Whether the entity's name (either language), an alias or its key is exactly what was typed, ignoring case and accents.</summary>
    public bool NamesExactly(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return Folded.Length > 0 && (Fold(entity.Name.En) == Folded || Fold(entity.Name.Fr) == Folded || Fold(entity.Key.Value) == Folded
            || entity.Aliases.Any(a => Fold(a.Text) == Folded));
    }

    // The base letter of each precomposed Latin letter from U+00C0 to U+024F whose canonical decomposition is an ASCII
    // letter and accents ('.': none). A table, because the service runs with invariant globalization, where
    // string.Normalize leaves such letters as they are; it folds what SQLite's remove_diacritics and Lucene's
    // ASCII folding fold for the languages of the graph.
    private const string LatinBases =
        "AAAAAA.CEEEEIIII.NOOOOO..UUUUY..aaaaaa.ceeeeiiii.nooooo..uuuuy.yAaAaAaCcCcCcCcDd..EeEeEeEeEeGgGgGgGgHh..IiIiIiIiI...JjKk.LlLlLl....NnNnNn...OoOoOo..RrRrRrSsSsSsSsTtTt..UuUuUuUuUuUuWwYyYZzZzZz.................................Oo.............Uu............................AaIiOoUuUuUuUuUu.AaAa....GgKkOoOo..j...Gg..NnAa....AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh......AaEeOoOoOoOoYy............................";

    /// <summary>Lower case, accents removed, runs of anything but letters and digits as one space, trimmed.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var original in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(original) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var c = original is >= '\u00C0' and < '\u0250' && LatinBases[original - '\u00C0'] is not '.' and var b ? b : original;

            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }
}

/// <summary>
/// The one ranking rule of search, applied by every store to the candidates its index found (best first by the
/// index's own relevance, at most <see cref="SearchQuery.CandidateLimit"/>): an entity named exactly what was typed
/// comes first, however often a longer text repeats the words; then relevance; then key.
/// </summary>
public static class SearchRanking
{
    /// <summary>What an exact name adds to a relevance score; larger than any relevance an index gives.</summary>
    public const double ExactMatchBonus = 100;

    public static IReadOnlyList<SearchHit> Rank(SearchQuery query, IEnumerable<(Entity Entity, double Relevance)> candidates)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .DistinctBy(c => c.Entity.Key)
            .Select(c => new SearchHit(c.Entity, Math.Round(c.Relevance + (query.Terms.NamesExactly(c.Entity) ? ExactMatchBonus : 0), 6)))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Entity.Key.Value, StringComparer.Ordinal)
            .Take(query.First)
            .ToList();
    }
}

/// <summary>How every store shapes a batch answer, so that both answer alike.</summary>
public static class StoreAnswers
{
    /// <summary>
    /// The answer of a "facts of each key" read (relationships, observations, quotes of entities): every key asked
    /// for is in it, with an empty list when nothing matches, and each list in the order the items come.
    /// </summary>
    public static IReadOnlyDictionary<EntityKey, IReadOnlyList<T>> ForEachKey<T>(
        IReadOnlyCollection<EntityKey> keys, IEnumerable<T> items, Func<T, EntityKey> keyOf)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(keyOf);
        var groups = new Dictionary<EntityKey, List<T>>();
        foreach (var item in items)
        {
            var key = keyOf(item);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(item);
        }

        return ForEachKey(keys, groups);
    }

    /// <summary>
    /// Orders one entity's relationships by key (ordinal) and keeps one of each: a relationship from an entity to
    /// itself is read both as one of its outgoing and one of its incoming relationships, the same record twice.
    /// </summary>
    public static void SortByKeyOnce(List<Relationship> relationships)
    {
        ArgumentNullException.ThrowIfNull(relationships);
        relationships.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var kept = 0;
        for (var i = 0; i < relationships.Count; i++)
        {
            if (kept == 0 || !string.Equals(relationships[kept - 1].Key, relationships[i].Key, StringComparison.Ordinal))
            {
                relationships[kept++] = relationships[i];
            }
        }

        relationships.RemoveRange(kept, relationships.Count - kept);
    }

    /// <summary>The same answer from lists already grouped by key, each in its order (the lists are not copied).</summary>
    public static IReadOnlyDictionary<EntityKey, IReadOnlyList<T>> ForEachKey<T>(
        IReadOnlyCollection<EntityKey> keys, IReadOnlyDictionary<EntityKey, List<T>> groups)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(groups);
        var answer = new Dictionary<EntityKey, IReadOnlyList<T>>(keys.Count);
        foreach (var key in keys)
        {
            answer.TryAdd(key, groups.TryGetValue(key, out var list) ? list : []);
        }

        return answer;
    }
}
