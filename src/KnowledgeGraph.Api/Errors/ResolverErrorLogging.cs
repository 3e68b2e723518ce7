using GraphQL.Execution;

namespace KnowledgeGraph.Api.Errors;

/// <summary>
/// How every transport (HTTP, WebSocket) logs a resolver's unhandled exception: a store outage as a warning (the
/// client gets <c>STORE_UNAVAILABLE</c>), anything else as an error. Never the document or its variables.
/// </summary>
internal static partial class ResolverErrorLogging
{
    public static Task LogAsync(ILogger logger, UnhandledExceptionContext context, string transport)
    {
        var field = context.FieldContext?.FieldDefinition.Name ?? "(document)";
        if (GraphQLErrorInfoProvider.FindStoreUnavailable(context.OriginalException) is not null)
        {
            StoreUnavailable(logger, field, transport, context.OriginalException);
        }
        else
        {
            UnhandledResolverError(logger, field, transport, context.OriginalException);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store was unavailable while resolving {Field} ({Transport})")]
    private static partial void StoreUnavailable(ILogger logger, string field, string transport, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while resolving {Field} ({Transport})")]
    private static partial void UnhandledResolverError(ILogger logger, string field, string transport, Exception exception);
}
