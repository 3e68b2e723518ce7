using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.Live;

/// <summary>What a committed write did to one record, as subscribers hear it.</summary>
public enum ChangeOutcome
{
    Created,
    Updated,
    Retracted,
}

/// <summary>
/// One change to one record, store-neutral and small enough to travel through Redis: the record itself is not in it
/// (subscribers read it through their own loaders), but what subscriptions filter on is: an entity's kind, a
/// relationship's type and ends. For a retracted record those come from its history and may be unknown (null).
/// <see cref="Skipped"/> counts the changes folded into this one when a burst came (see <see cref="GraphChangeHub"/>).
/// </summary>
public sealed record GraphChange(
    RecordType Type,
    string Key,
    ChangeOutcome Outcome,
    long Revision,
    string Actor,
    EntityKind? Kind = null,
    RelationshipType? RelationshipType = null,
    string? From = null,
    string? To = null,
    int Skipped = 0);

/// <summary>The message published to Redis: the changes of one write and the instance that made it.</summary>
public sealed record GraphChangeEnvelope(string Instance, IReadOnlyList<GraphChange> Changes);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(GraphChangeEnvelope))]
internal sealed partial class GraphChangeJsonContext : JsonSerializerContext;
