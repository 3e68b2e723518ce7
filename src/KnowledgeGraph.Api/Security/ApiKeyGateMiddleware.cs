using System.Text.Json;
using KnowledgeGraph.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Security;

/// <summary>
/// Stands before the GraphQL endpoint and <c>/export</c>: a request with a key that is not valid, or without a key where anonymous
/// reads are off, is answered 401 with a GraphQL error (<c>UNAUTHENTICATED</c>) and goes no further. Valid callers
/// continue with their identity in <c>HttpContext.User</c>.
/// </summary>
public sealed class ApiKeyGateMiddleware(RequestDelegate next, IOptionsMonitor<AuthOptions> options)
{
    public const string Unauthenticated = "UNAUTHENTICATED";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsGraphQLRequest(context.Request)
            && !context.Request.Path.StartsWithSegments("/export", StringComparison.OrdinalIgnoreCase)
            && !context.Request.Path.StartsWithSegments("/import", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (result.Succeeded)
        {
            context.User = result.Principal;
        }
        else if (result.Failure is not null)
        {
            await RefuseAsync(context, "The API key is not valid. Send a key from `keys create` as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
            return;
        }
        else if (!options.CurrentValue.AllowAnonymousReads)
        {
            await RefuseAsync(context, "This service needs an API key: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
            return;
        }

        await next(context);
    }

    private static bool IsGraphQLRequest(HttpRequest request) =>
        request.Path.Equals("/graphql", StringComparison.OrdinalIgnoreCase)
        && (HttpMethods.IsPost(request.Method) || (HttpMethods.IsGet(request.Method) && GraphQLHttpEndpoints.IsGraphQLGetRequest(request)));

    private static async Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = GraphQLMediaTypes.GraphQLResponseJsonUtf8;
        await JsonSerializer.SerializeAsync(
            context.Response.Body,
            new { errors = new[] { new { message, extensions = new { code = Unauthenticated } } } },
            cancellationToken: context.RequestAborted);
    }
}
