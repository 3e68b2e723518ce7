using System.Text.Json;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Security;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Security;

/// <summary>
/// Stands before every endpoint that carries <see cref="ApiKeyGateMetadata"/> (the API route group: <c>/graphql</c>,
/// <c>/import</c>, <c>/export</c>): a request with a key that is not valid, or without a key where anonymous reads are
/// off, or whose key's role is below the endpoint's <see cref="ApiKeyGateMetadata.Role"/>, is answered 401
/// (<c>UNAUTHENTICATED</c>) or 403 (<c>FORBIDDEN</c>) in the endpoint's own error shape and goes no further. Valid
/// callers continue with their identity in <c>HttpContext.User</c>.
/// </summary>
public sealed class ApiKeyGateMiddleware(RequestDelegate next, IOptionsMonitor<AuthOptions> options, ApiKeyCallers callers)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ApiKeyGateMetadata>() is not { } gate)
        {
            await next(context);
            return;
        }

        var shape = endpoint.Metadata.GetMetadata<ErrorShapeMetadata>()?.Shape ?? ErrorShape.GraphQL;
        if (ApiKeyAuthentication.ReadKey(context.Request) is { } key)
        {
            if (await callers.PrincipalOfAsync(key, context.RequestAborted) is not { } caller)
            {
                await RefuseAsync(context, shape, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "The API key is not valid. Send a key from `keys create` as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
                return;
            }

            context.User = caller;
        }

        var role = Caller.RoleOf(context.User);
        if (gate.Role is { } required)
        {
            var name = required.ToString().ToLowerInvariant();
            if (role is null)
            {
                await RefuseAsync(context, shape, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, $"This needs a key with the {name} role (or above): send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
                return;
            }

            if (role < required)
            {
                await RefuseAsync(context, shape, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"This needs the {name} role (or above); this key has the {role.Value.ToString().ToLowerInvariant()} role.");
                return;
            }
        }
        else if (role is null && !options.CurrentValue.AllowAnonymousReads)
        {
            await RefuseAsync(context, shape, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "This service needs an API key: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
            return;
        }

        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, ErrorShape shape, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.Headers.CacheControl = "no-store";
        if (shape == ErrorShape.Problem)
        {
            await Results.Problem(message, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = GraphQLMediaTypes.GraphQLResponseJsonUtf8;
        await JsonSerializer.SerializeAsync(
            context.Response.Body,
            new { errors = new[] { new { message, extensions = new { code } } } },
            cancellationToken: context.RequestAborted);
    }
}

/// <summary>Marks an endpoint the API-key gate stands before; <see cref="Role"/>, when set, is the least role it needs.</summary>
public sealed record ApiKeyGateMetadata(ApiRole? Role = null);

/// <summary>How an endpoint answers errors: a GraphQL response (<c>errors[]</c>) or a problem document (RFC 9457).</summary>
public enum ErrorShape
{
    GraphQL,
    Problem,
}

/// <summary>The error shape of an endpoint, for answers made before it runs (the gate's 401 and 403).</summary>
public sealed record ErrorShapeMetadata(ErrorShape Shape);

public static class ApiKeyGateEndpointExtensions
{
    /// <summary>The API-key gate stands before these endpoints: a valid key, or none where anonymous reads are allowed.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiKeyGateMetadata());

    /// <summary>Only keys with at least <paramref name="role"/> reach these endpoints.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, ApiRole role)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiKeyGateMetadata(role));

    /// <summary>These endpoints answer errors as problem documents.</summary>
    public static TBuilder AnswersProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ErrorShapeMetadata(ErrorShape.Problem));
}
