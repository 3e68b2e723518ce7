using System.Globalization;
using System.Text.RegularExpressions;

namespace KnowledgeGraph.Domain;

/// <summary>The rules a fact's fields follow, shared by the seed loader and the write path.</summary>
public static partial class FactRules
{
    private static readonly string[] PartialDateFormats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];

    /// <summary>YYYY, YYYY-MM or YYYY-MM-DD, a real date.</summary>
    public static bool IsPartialDate(string? value) =>
        value is not null && DateTime.TryParseExact(value, PartialDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>An ISO 8601 duration such as PT72H or P1D.</summary>
    public static bool IsDuration(string? value) => value is not null && DurationPattern().IsMatch(value);

    /// <summary>Upper snake case, such as NEW_USERS.</summary>
    public static bool IsMetric(string? value) => value is not null && MetricPattern().IsMatch(value);

    /// <summary>
    /// The text between two offsets counted in Unicode code points (end exclusive), or null when they do not fit the
    /// text. <paramref name="index"/> caches the code point positions of a text between calls.
    /// </summary>
    public static string? SliceCodePoints(string text, int start, int end, ref int[]? index)
    {
        if (index is null)
        {
            // index[i] is the UTF-16 position of code point i; the last slot is the text's length.
            var positions = new List<int>(text.Length + 1);
            for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                positions.Add(i);
            }

            positions.Add(text.Length);
            index = [.. positions];
        }

        return start < 0 || end > index.Length - 1 || start >= end ? null : text[index[start]..index[end]];
    }

    /// <summary>A text cut to 60 characters for an error message, with an ellipsis when cut.</summary>
    public static string Abbreviate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex MetricPattern();

    [GeneratedRegex(@"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")]
    private static partial Regex DurationPattern();
}
