using GraphQL.Types;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class EntityKindEnumType : EnumerationGraphType<EntityKind>
{
    public EntityKindEnumType()
    {
        Name = "EntityKind";
        Description = "What an entity is.";
        Describe("COMPANY", "A company, such as Facebook or Tesla.");
        Describe("PERSON", "A person, such as Pavel Durov.");
        Describe("APP", "A messaging app, such as WhatsApp, Telegram or Signal.");
        Describe("PLATFORM", "A platform apps or posts are published on: an app store or a social network.");
        Describe("REGION", "A region of the world.");
        Describe("CONTROVERSY", "A controversy or scandal.");
        Describe("ENDORSEMENT", "A public recommendation one party gave another.");
    }

    private void Describe(string name, string description) => Values[name]!.Description = description;
}

public sealed class RelationshipTypeEnumType : EnumerationGraphType<RelationshipType>
{
    public RelationshipTypeEnumType()
    {
        Name = "RelationshipType";
        Description = "The type of a directed relationship, read as `from TYPE to` (Facebook OWNS WhatsApp).";
        Describe("OWNS", "A company owns an app or another company.");
        Describe("FOUNDED", "A person founded a company or an app.");
        Describe("LEADS", "A person leads a company or an app, in the role the relationship names.");
        Describe("GAVE", "A person gave an endorsement.");
        Describe("ENDORSES", "An endorsement recommends an app.");
        Describe("PUBLISHED_ON", "An endorsement was published on a platform.");
        Describe("INVOLVED_IN", "A company, app or person is involved in a controversy.");
        Describe("BENEFITED_FROM", "An app or company benefited from a controversy.");
        Describe("COMPETES_WITH", "An app competes with another app.");
        Describe("CRITICIZED", "A person criticized a company, an app or its practices.");
        Describe("TOPPED_CHART", "An app reached the top of a platform's chart (see `chart`).");
        Describe("DISPLACED", "An app took another app's place, for example at the top of a download chart.");
        Describe("AVAILABLE_ON", "An app is distributed through a platform such as an app store.");
    }

    private void Describe(string name, string description) => Values[name]!.Description = description;
}

public sealed class RelationshipDirectionEnumType : EnumerationGraphType<RelationshipDirection>
{
    public RelationshipDirectionEnumType()
    {
        Name = "RelationshipDirection";
        Description = "Which relationships of an entity to follow.";
        Values["OUTGOING"]!.Description = "Relationships that start at the entity (its `from`).";
        Values["INCOMING"]!.Description = "Relationships that end at the entity (its `to`).";
        Values["BOTH"]!.Description = "Relationships in either direction.";
    }
}

public sealed class LanguageEnumType : EnumerationGraphType<Language>
{
    public LanguageEnumType()
    {
        Name = "Language";
        Description = "A language names, descriptions and labels are kept in.";
        Values["EN"]!.Description = "English.";
        Values["FR"]!.Description = "French.";
    }
}

public sealed class PrecisionEnumType : EnumerationGraphType<Precision>
{
    public PrecisionEnumType()
    {
        Name = "Precision";
        Description = "How exactly a figure is known, as the source states it.";
        Values["EXACT"]!.Description = "An exact count, stated as is.";
        Values["APPROXIMATE"]!.Description = "The figure is approximate (\"environ\", \"about\").";
        Values["MORE_THAN"]!.Description = "The true value is above the figure (\"more than\", \"passed the mark of\").";
        Values["AT_LEAST"]!.Description = "The true value is at least the figure.";
        Values["AT_MOST"]!.Description = "The true value is at most the figure.";
        Values["ROUNDED"]!.Description = "A round figure the source gives in round words, such as \"25 millions\": not an exact count.";
    }
}

public sealed class EntityOrderFieldEnumType : EnumerationGraphType<EntityOrderField>
{
    public EntityOrderFieldEnumType()
    {
        Name = "EntityOrderField";
        Description = "What entities can be ordered by.";
        Values["KEY"]!.Description = "The entity's key.";
        Values["NAME"]!.Description = "The entity's name in the requested language, ignoring case.";
        Values["KIND"]!.Description = "The entity's kind, by its name (APP before COMPANY).";
        Values["DEGREE"]!.Description = "How many relationships the entity has, in either direction: `DESC` lists the most connected first.";
    }
}

/// <summary>The direction of an ordering.</summary>
public enum OrderDirection
{
    Asc,
    Desc,
}

public sealed class OrderDirectionEnumType : EnumerationGraphType<OrderDirection>
{
    public OrderDirectionEnumType()
    {
        Name = "OrderDirection";
        Description = "The direction of an ordering.";
        Values["ASC"]!.Description = "Smallest first.";
        Values["DESC"]!.Description = "Largest first.";
    }
}
