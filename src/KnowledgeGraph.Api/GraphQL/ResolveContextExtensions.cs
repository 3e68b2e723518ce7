using GraphQL;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.Api.GraphQL;

internal static class ResolveContextExtensions
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public static GraphLoaders Loaders(this IResolveFieldContext context)
    {
        var services = context.RequestServices ?? throw new InvalidOperationException("The request has no service provider.");
        return context.UserContext is GraphRequestContext request ? request.LoadersOf(services) : services.GetRequiredService<GraphLoaders>();
    }

    /// <summary>The <c>lang</c> argument, else the request's Accept-Language, else English.</summary>
    public static Language Language(this IResolveFieldContext context) =>
        context.GetArgument<Language?>("lang")
        ?? (context.UserContext as GraphRequestContext)?.Language
        ?? Domain.Language.En;

    /// <summary>A page size argument: at least 0, at most <see cref="MaxPageSize"/> (larger requests are clamped).</summary>
    public static int? PageSize(this IResolveFieldContext context, string name)
    {
        var value = context.GetArgument<int?>(name);
        if (value is < 0)
        {
            throw GraphErrors.BadInput($"'{name}' must not be negative.");
        }

        return value is null ? null : Math.Min(value.Value, MaxPageSize);
    }

    /// <summary>Whether the client selected a field of this field's result, such as <c>totalCount</c>.</summary>
    public static bool Selects(this IResolveFieldContext context, string fieldName) =>
        context.SubFields?.ContainsKey(fieldName) ?? false;
}
