using System.Text.Json;
using KnowledgeGraph.Api.Writes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.Live;

/// <summary>
/// Turns every committed write into <see cref="GraphChange"/>s on the <see cref="IGraphEventBus"/>. It reads what
/// subscriptions filter on once per write, in one batch per record type: the kind of created and updated entities,
/// the type and ends of relationships; for retracted records, from the snapshot their history keeps.
/// </summary>
public sealed partial class GraphChangePublisher(IGraphStore store, IGraphEventBus bus, ILogger<GraphChangePublisher> logger) : IGraphChangeListener
{
    public async Task OnChangedAsync(WriteReceipt receipt, WriteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(actor);
        var changed = receipt.Results.Where(r => r.Outcome != WriteOutcome.Unchanged).ToList();
        if (changed.Count == 0 || !bus.MayHaveSubscribers)
        {
            return;
        }

        // The write is committed: it is announced even if its own request is cancelled now.
        cancellationToken = CancellationToken.None;

        var standing = changed.Where(r => r.Outcome != WriteOutcome.Retracted).ToList();
        var entityKeys = standing.Where(r => r.Type == RecordType.Entity).Select(r => new EntityKey(r.Key)).ToList();
        var relationshipKeys = standing.Where(r => r.Type == RecordType.Relationship).Select(r => r.Key).ToList();
        var entities = entityKeys.Count > 0 ? await store.GetEntitiesAsync(entityKeys, cancellationToken) : new Dictionary<EntityKey, Entity>();
        var relationships = relationshipKeys.Count > 0 ? await store.GetRelationshipsAsync(relationshipKeys, cancellationToken) : new Dictionary<string, Relationship>();

        var changes = new List<GraphChange>(changed.Count);
        foreach (var result in changed)
        {
            var change = new GraphChange(result.Type, result.Key, OutcomeOf(result.Outcome), receipt.Revision, actor.Id);
            change = result.Type switch
            {
                RecordType.Entity when entities.TryGetValue(new EntityKey(result.Key), out var entity) => change with { Kind = entity.Kind },
                RecordType.Relationship when relationships.TryGetValue(result.Key, out var relationship) => change with
                {
                    RelationshipType = relationship.Type,
                    From = relationship.From.Value,
                    To = relationship.To.Value,
                },
                RecordType.Entity or RecordType.Relationship when result.Outcome == WriteOutcome.Retracted =>
                    await FromHistoryAsync(change, cancellationToken),
                _ => change,
            };
            changes.Add(change);
        }

        await bus.PublishAsync(changes, cancellationToken);
    }

    private static ChangeOutcome OutcomeOf(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => ChangeOutcome.Created,
        WriteOutcome.Retracted => ChangeOutcome.Retracted,
        _ => ChangeOutcome.Updated,
    };

    // The record as it stood before its retraction, from the last history entry. Every store keeps the domain record
    // there as RecordSnapshot JSON; only the few properties filters need are read, by name, ignoring case.
    private async Task<GraphChange> FromHistoryAsync(GraphChange change, CancellationToken cancellationToken)
    {
        var history = await store.GetHistoryAsync(change.Type, change.Key, cancellationToken);
        var snapshot = history.LastOrDefault(h => h.Outcome == WriteOutcome.Retracted)?.Snapshot;
        if (string.IsNullOrEmpty(snapshot))
        {
            return change;
        }

        try
        {
            using var document = JsonDocument.Parse(snapshot);
            var root = document.RootElement;
            return change.Type == RecordType.Entity
                ? change with { Kind = EnumOf<EntityKind>(root, "kind") }
                : change with
                {
                    RelationshipType = EnumOf<RelationshipType>(root, "type"),
                    From = StringOf(root, "from"),
                    To = StringOf(root, "to"),
                };
        }
        catch (JsonException exception)
        {
            UnreadableSnapshot(logger, change.Type.ToString(), change.Key, exception);
            return change;
        }
    }

    private static JsonElement? PropertyOf(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? StringOf(JsonElement root, string name) =>
        PropertyOf(root, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static TEnum? EnumOf<TEnum>(JsonElement root, string name)
        where TEnum : struct, Enum
    {
        var text = StringOf(root, name)?.Replace("_", string.Empty, StringComparison.Ordinal);
        return text is not null && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) ? value : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The history snapshot of retracted {Type} '{Key}' could not be read; its change is published without kind or ends")]
    private static partial void UnreadableSnapshot(ILogger logger, string type, string key, Exception exception);
}
