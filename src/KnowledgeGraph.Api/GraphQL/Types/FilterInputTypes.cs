using System.Collections;
using GraphQL.Types;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

// The filter inputs parse straight into Core's EntityFilterSpec (and its parts); Core decides what they mean.

/// <summary>The <c>key</c> part of a filter.</summary>
public sealed record StringFilterValue(string? Eq, IReadOnlyList<string>? In);

/// <summary>The <c>kind</c> part of a filter.</summary>
public sealed record KindFilterValue(EntityKind? Eq, IReadOnlyList<EntityKind>? In);

/// <summary>The <c>name</c> part of a filter.</summary>
public sealed record TextFilterValue(string? Eq, string? Contains, string? StartsWith);

/// <summary>The <c>where</c> argument of an entity's <c>relationships</c>.</summary>
public sealed record RelationshipWhere(EntityFilterSpec? Node);

public sealed class StringFilterInputType : InputObjectGraphType<StringFilterValue>
{
    public StringFilterInputType()
    {
        Name = "StringFilter";
        Description = "Conditions on a string; every condition given must hold. An empty `in` is no condition.";
        Field<StringGraphType>("eq").Description("Exactly this value.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("in").Description($"One of these values (at most {EntityFilterSpec.MaxValues}).");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new StringFilterValue(value.Get<string>("eq"), value.List<string>("in"));
}

public sealed class EntityKindFilterInputType : InputObjectGraphType<KindFilterValue>
{
    public EntityKindFilterInputType()
    {
        Name = "EntityKindFilter";
        Description = "Conditions on an entity's kind; every condition given must hold. An empty `in` is no condition.";
        Field<EntityKindEnumType>("eq").Description("Exactly this kind.");
        Field<ListGraphType<NonNullGraphType<EntityKindEnumType>>>("in").Description("One of these kinds.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new KindFilterValue(value.TryGetValue("eq", out var eq) ? eq as EntityKind? : null, value.List<EntityKind>("in"));
}

public sealed class TextFilterInputType : InputObjectGraphType<TextFilterValue>
{
    public TextFilterInputType()
    {
        Name = "TextFilter";
        Description = "Conditions on a name, met by the English or the French name, ignoring case and accents (\"amerique\" finds \"Amérique latine\"); every condition given must hold. An empty text is no condition.";
        Field<StringGraphType>("eq").Description("The whole name is this text.");
        Field<StringGraphType>("contains").Description("The name contains this text.");
        Field<StringGraphType>("startsWith").Description("The name starts with this text.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new TextFilterValue(value.Get<string>("eq"), value.Get<string>("contains"), value.Get<string>("startsWith"));
}

public sealed class FloatFilterInputType : InputObjectGraphType<NumberRange>
{
    public FloatFilterInputType()
    {
        Name = "FloatFilter";
        Description = "Bounds on a number; every bound given must hold, none means any number.";
        Field<FloatGraphType>("eq").Description("Equal to this.");
        Field<FloatGraphType>("gt").Description("Greater than this.");
        Field<FloatGraphType>("gte").Description("Greater than or equal to this.");
        Field<FloatGraphType>("lt").Description("Less than this.");
        Field<FloatGraphType>("lte").Description("Less than or equal to this.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new NumberRange(value.Number("eq"), value.Number("gt"), value.Number("gte"), value.Number("lt"), value.Number("lte"));
}

public sealed class RelatedFilterInputType : InputObjectGraphType<RelatedSpec>
{
    public RelatedFilterInputType()
    {
        Name = "RelatedFilter";
        Description = "The entity has at least one relationship of `type`, in `direction` seen from the entity, to an entity meeting `node` (any entity when omitted). Under `NOT`: it has none.";
        Field<NonNullGraphType<RelationshipTypeEnumType>>("type").Description("The type of the relationship.");
        Field<RelationshipDirectionEnumType>("direction")
            .Description("OUTGOING: the entity is the relationship's `from`; INCOMING: its `to`; BOTH: either.")
            .DefaultValue(RelationshipDirection.Both);
        Field<EntityFilterInputType>("node").Description("Conditions on the entity at the other end.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new RelatedSpec(
            (RelationshipType)value["type"]!,
            value.TryGetValue("direction", out var direction) && direction is RelationshipDirection d ? d : RelationshipDirection.Both,
            value.Get<EntityFilterSpec>("node"));
}

public sealed class ObservationFilterInputType : InputObjectGraphType<ObservationSpec>
{
    public ObservationFilterInputType()
    {
        Name = "ObservationFilter";
        Description = "The entity is the subject of at least one figure of `metric` whose value meets `value` (any value when omitted).";
        Field<NonNullGraphType<StringGraphType>>("metric").Description("The metric, such as MONTHLY_ACTIVE_USERS or NEW_USERS.");
        Field<FloatFilterInputType>("value").Description("Bounds on the figure's value.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new ObservationSpec((string)value["metric"]!, value.Get<NumberRange>("value"));
}

public sealed class EntityFilterInputType : InputObjectGraphType<EntityFilterSpec>
{
    public EntityFilterInputType()
    {
        Name = "EntityFilter";
        Description = $$"""
            Conditions an entity must meet; every condition given must hold. Conditions combine with `AND`, `OR` and
            `NOT` and nest, `related` follows a relationship to a neighbour meeting conditions of its own. Empty lists
            and empty filters are no condition (`AND: []` and `OR: [{}]` match everything); `NOT: {}` is refused. At most
            {{EntityFilterSpec.MaxSize}} conditions, nested at most {{EntityFilterSpec.MaxDepth}} deep; each counts against the
            cost limit, a `related` hop {{RelatedTo.HopCost}}.
            """.ReplaceLineEndings(" ");
        Field<ListGraphType<NonNullGraphType<EntityFilterInputType>>>("AND").Description("Every one of these filters holds.");
        Field<ListGraphType<NonNullGraphType<EntityFilterInputType>>>("OR").Description("At least one of these filters holds.");
        Field<EntityFilterInputType>("NOT").Description("This filter does not hold.");
        Field<StringFilterInputType>("key").Description("Conditions on the key.");
        Field<EntityKindFilterInputType>("kind").Description("Conditions on the kind.");
        Field<TextFilterInputType>("name").Description("Conditions on the English or French name, ignoring case and accents.");
        Field<RelatedFilterInputType>("related").Description("A relationship to a neighbour meeting conditions of its own.");
        Field<ObservationFilterInputType>("observation").Description("A figure about the entity, such as more than 100 million monthly active users.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("keys")
            .Description("Only entities with one of these keys.")
            .DeprecationReason("Use `key: { in: [...] }`.");
        Field<StringGraphType>("nameContains")
            .Description("Only entities whose English or French name contains this text, ignoring case and accents.")
            .DeprecationReason("Use `name: { contains: \"...\" }`.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        var key = value.Get<StringFilterValue>("key");
        var kind = value.Get<KindFilterValue>("kind");
        var name = value.Get<TextFilterValue>("name");
        return new EntityFilterSpec
        {
            And = value.List<EntityFilterSpec>("AND"),
            Or = value.List<EntityFilterSpec>("OR"),
            Not = value.Get<EntityFilterSpec>("NOT"),
            KeyEq = key?.Eq,
            KeyIn = key?.In,
            KindEq = kind?.Eq,
            KindIn = kind?.In,
            NameEq = name?.Eq,
            NameContains = name?.Contains,
            NameStartsWith = name?.StartsWith,
            Related = value.Get<RelatedSpec>("related"),
            Observation = value.Get<ObservationSpec>("observation"),
            LegacyKeys = value.List<string>("keys"),
            LegacyNameContains = value.Get<string>("nameContains"),
        };
    }
}

public sealed class RelationshipWhereInputType : InputObjectGraphType<RelationshipWhere>
{
    public RelationshipWhereInputType()
    {
        Name = "RelationshipFilter";
        Description = "Conditions on an entity's relationships.";
        Field<EntityFilterInputType>("node").Description("Only relationships whose other end meets these conditions.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new RelationshipWhere(value.Get<EntityFilterSpec>("node"));
}

/// <summary>Reading parsed input fields, and what a filter argument costs.</summary>
internal static class FilterInputs
{
    public static T? Get<T>(this IDictionary<string, object?> value, string name)
        where T : class =>
        value.TryGetValue(name, out var field) ? field as T : null;

    public static double? Number(this IDictionary<string, object?> value, string name) =>
        value.TryGetValue(name, out var field) && field is not null ? Convert.ToDouble(field, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static List<T>? List<T>(this IDictionary<string, object?> value, string name) =>
        value.TryGetValue(name, out var field) && field is IEnumerable list and not string ? list.Cast<T>().ToList() : null;

    /// <summary>The condition a filter argument means; a filter that cannot run is a <c>BAD_USER_INPUT</c> error.</summary>
    public static EntityCondition? Condition(EntityFilterSpec? filter)
    {
        try
        {
            return filter?.Normalise();
        }
        catch (InvalidFilterException exception)
        {
            throw GraphErrors.BadInput(exception.Message);
        }
    }

    /// <summary>
    /// What a field's filter arguments (<c>where</c>) add to its cost: the work of their conditions. A filter that
    /// cannot run costs nothing here; its resolver refuses it.
    /// </summary>
    public static int CostOf(object? where)
    {
        var filter = where switch
        {
            EntityFilterSpec spec => spec,
            RelationshipWhere relationships => relationships.Node,
            _ => null,
        };
        try
        {
            return filter?.Normalise()?.Cost ?? 0;
        }
        catch (InvalidFilterException)
        {
            return 0;
        }
    }
}
