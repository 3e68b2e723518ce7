namespace KnowledgeGraph.Domain;

/// <summary>The stable, lower-case kebab-case key of an entity, such as <c>whatsapp</c> or <c>pavel-durov</c>.</summary>
public readonly record struct EntityKey(string Value)
{
    public override string ToString() => Value;

    /// <summary>True when <paramref name="value"/> is lower-case kebab-case: letters, digits and single hyphens.</summary>
    public static bool IsWellFormed(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        var previousWasHyphen = false;
        foreach (var c in value)
        {
            var isHyphen = c == '-';
            if (!(isHyphen || char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) || (isHyphen && previousWasHyphen))
            {
                return false;
            }

            previousWasHyphen = isHyphen;
        }

        return true;
    }
}
