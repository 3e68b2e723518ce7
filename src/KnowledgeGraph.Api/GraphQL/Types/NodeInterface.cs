using GraphQL.Types;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "Anything that can be fetched again by its global id with `node(id:)`.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.");
    }
}
