using System.Globalization;
using System.Text.RegularExpressions;

namespace KnowledgeGraph.Domain;

/// <summary>The rules a fact's fields follow, shared by the seed loader and the write path.</summary>
public static partial class FactRules
{
    private static readonly string[] PartialDateFormats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];

    /// <summary>
    /// The date basis a fact is kept with: a dated fact given none is STATED, as every date was before date bases
    /// existed; an undated one has none (the validator refuses a basis without a period).
    /// </summary>
    public static DateBasis? DateBasisOrStated(DateBasis? given, string? period) => given ?? (period is null ? null : DateBasis.Stated);

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

    /// <summary>How many code points the text holds before UTF-16 position <paramref name="utf16Index"/>.</summary>
    public static int CodePointsBefore(string text, int utf16Index)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        for (var i = 0; i < utf16Index && i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            count++;
        }

        return count;
    }

    /// <summary>The UTF-16 position (what JavaScript strings count) of code point <paramref name="codePoint"/>; the text's length past its end.</summary>
    public static int Utf16Index(string text, int codePoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = 0;
        for (var n = 0; n < codePoint && i < text.Length; n++)
        {
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
        }

        return i;
    }

    /// <summary>
    /// Whether a period that starts at <paramref name="start"/> can end at <paramref name="end"/> (partial dates): the
    /// first day <paramref name="start"/> can mean is not after the last day <paramref name="end"/> can mean.
    /// </summary>
    public static bool IsOrderedPeriod(string start, string end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var first = start.Length switch { 4 => start + "-01-01", 7 => start + "-01", _ => start };
        var last = end.Length switch { 4 => end + "-12-31", 7 => end + "-31", _ => end };
        return string.CompareOrdinal(first, last) <= 0;
    }

    /// <summary>A text cut to 60 characters for an error message, with an ellipsis when cut.</summary>
    public static string Abbreviate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
    }

    /// <summary>The largest figure, either sign, every store keeps exactly (a decimal holds up to about 7.9e28).</summary>
    public const double MaxFigure = 1e28;

    /// <summary>The longest name, alias, title, unit, chart, role or other one-line text.</summary>
    public const int MaxShortText = 500;

    /// <summary>The longest description, note, excerpt, reason, quote or translation.</summary>
    public const int MaxLongText = 10_000;

    /// <summary>The longest source text (about 4 MB of UTF-8 at most).</summary>
    public const int MaxSourceText = 2_000_000;

    /// <summary>Whether a figure fits what the stores keep: finite and within <see cref="MaxFigure"/> either way.</summary>
    public static bool IsKeptFigure(double value) => double.IsFinite(value) && Math.Abs(value) <= MaxFigure;

    /// <summary>
    /// Null when the text may be stored, otherwise why not: longer than <paramref name="maxLength"/>, or holding a
    /// control character (NUL included; tab, line feed and carriage return are allowed in multi-line texts) or half
    /// of a surrogate pair, which no JSON or store round trip keeps as typed.
    /// </summary>
    public static string? TextProblem(string? text, int maxLength, bool multiline)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            return $"is {text.Length} characters long; at most {maxLength} are kept";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"holds half of a surrogate pair at position {i}";
            }
            else if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return $"holds the control character U+{(int)c:X4} at position {i}";
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex MetricPattern();

    [GeneratedRegex(@"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")]
    private static partial Regex DurationPattern();
}
