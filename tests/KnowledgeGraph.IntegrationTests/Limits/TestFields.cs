using GraphQL;
using GraphQL.DI;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Adds a test-only <c>Query</c> field through a schema visitor, as the execution error tests do.</summary>
internal sealed class TestField(string name, Func<IResolveFieldContext, Task<object?>> resolve) : BaseSchemaNodeVisitor, IConfigureSchema
{
    public void Configure(ISchema schema, IServiceProvider serviceProvider) => schema.RegisterVisitor(this);

    public override void VisitObject(IObjectGraphType type, ISchema schema)
    {
        if (type.Name == "Query")
        {
            type.AddField(new FieldType
            {
                Name = name,
                ResolvedType = schema.AllTypes["String"],
                Resolver = new FuncFieldResolver<object>(async context => await resolve(context)),
            });
        }
    }
}
