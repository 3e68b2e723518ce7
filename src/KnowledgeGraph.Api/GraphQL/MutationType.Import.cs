using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Api.GraphQL.Types;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Security;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>The bulk import mutation: a file's content, written in batches through the same path as every write.</summary>
internal static class MutationImport
{
    public static void AddImportGraph(this MutationType mutation) =>
        mutation.Field<ImportPayloadType>("importGraph")
            .Description("Imports a file's content in batches, each written all-or-nothing through the same validation as every write (citations included). A batch with a bad row is refused whole and the report says why; the other batches land. Needs a partner or admin key. See docs/import-export.md.")
            .Argument<NonNullGraphType<ImportFormatEnumType>>("format", "What the content is.")
            .Argument<NonNullGraphType<StringGraphType>>("content", "The file's content, as text.")
            .Argument<IntGraphType>("batchSize", $"Rows per batch, 1 to {GraphImporter.MaxBatchSize}; {GraphImporter.DefaultBatchSize} when absent.")
            .RequiresRole(ApiRole.Partner)
            .ResolveAsync(async context =>
            {
                var batchSize = context.GetArgument<int?>("batchSize") ?? GraphImporter.DefaultBatchSize;
                if (batchSize is < 1 or > GraphImporter.MaxBatchSize)
                {
                    context.Errors.Add(GraphErrors.BadInput($"batchSize must be between 1 and {GraphImporter.MaxBatchSize}."));
                    return null;
                }

                IReadOnlyList<ImportRow> rows;
                try
                {
                    rows = GraphImporter.Read(context.GetArgument<ImportFormat>("format"), context.GetArgument<string>("content"));
                }
                catch (ImportFormatException unreadable)
                {
                    context.Errors.Add(new ExecutionError(unreadable.Message)
                    {
                        Code = ErrorCodes.ImportUnreadable,
                        Path = context.Path,
                        Extensions = new Dictionary<string, object?> { ["inputPath"] = "content" },
                    });
                    return null;
                }

                var actor = new WriteActor(Caller.IdOf(context.User), Caller.RoleOf(context.User)?.ToString() ?? Caller.Anonymous);
                var importer = context.RequestServices!.GetRequiredService<GraphImporter>();
                return await importer.ImportAsync(rows, batchSize, actor, null, context.CancellationToken);
            });
}
