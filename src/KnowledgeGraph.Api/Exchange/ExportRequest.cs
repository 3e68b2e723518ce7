using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Api.Exchange;

/// <summary>An export asked for over HTTP or on the command line: the format and the scope, checked the same way.</summary>
public sealed record ExportRequest(ExportFormat Format, ExportScope Scope)
{
    /// <summary>Reads the parameters; <paramref name="error"/> says what is wrong when it returns false.</summary>
    public static bool TryParse(string? format, string? around, string? depth, string? kinds, out ExportRequest request, out string error)
    {
        request = new ExportRequest(ExportFormat.SeedJson, ExportScope.Everything);
        error = string.Empty;
        var parsedFormat = ExportFormat.SeedJson;
        if (!string.IsNullOrWhiteSpace(format) && !ExportFormats.TryParse(format, out parsedFormat))
        {
            error = $"format '{format}' is not known; use one of {string.Join(", ", ExportFormats.Names)}.";
            return false;
        }

        var parsedDepth = 1;
        if (!string.IsNullOrWhiteSpace(depth)
            && (!int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out parsedDepth) || parsedDepth > ExportScope.MaxDepth))
        {
            error = $"depth must be a whole number from 0 to {ExportScope.MaxDepth}.";
            return false;
        }

        EntityKey? start = null;
        if (!string.IsNullOrWhiteSpace(around))
        {
            if (!EntityKey.IsWellFormed(around.Trim()))
            {
                error = $"around '{around}' is not an entity key (lower-case kebab-case).";
                return false;
            }

            start = new EntityKey(around.Trim());
        }

        var parsedKinds = new List<EntityKind>();
        foreach (var name in (kinds ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Vocabulary.TryParse<EntityKind>(name.ToUpperInvariant(), out var kind))
            {
                error = $"kind '{name}' is not known; use {string.Join(", ", Enum.GetValues<EntityKind>().Select(Vocabulary.ToWireName))}.";
                return false;
            }

            parsedKinds.Add(kind);
        }

        request = new ExportRequest(parsedFormat, new ExportScope(start, parsedDepth, parsedKinds.Count == 0 ? null : parsedKinds));
        return true;
    }

    /// <summary>A file name that says what the export holds: <c>knowledge-graph-whatsapp-depth-2.graphml</c>.</summary>
    public string FileName
    {
        get
        {
            var name = "knowledge-graph";
            if (Scope.Around is { } around)
            {
                name += string.Create(CultureInfo.InvariantCulture, $"-{around.Value}-depth-{Scope.Depth}");
            }

            if (Scope.Kinds is { Count: > 0 } kinds)
            {
                name += "-" + string.Join('-', kinds.Select(k => Vocabulary.ToWireName(k).ToLowerInvariant()));
            }

            var extension = ExportFormats.ExtensionOf(Format);
            return extension.Length == 0 ? name : $"{name}.{extension}";
        }
    }
}
