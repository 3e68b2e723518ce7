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
        Argument<Language>(context, "lang")
        ?? (context.UserContext as GraphRequestContext)?.Language
        ?? Domain.Language.En;

    /// <summary>A page size argument: at least 0, at most <see cref="MaxPageSize"/> (larger requests are clamped).</summary>
    public static int? PageSize(this IResolveFieldContext context, string name)
    {
        var value = Argument<int>(context, name);
        if (value is < 0)
        {
            throw GraphErrors.BadInput($"'{name}' must not be negative.");
        }

        return value is null ? null : Math.Min(value.Value, MaxPageSize);
    }

    /// <summary>
    /// An argument of a scalar or enum type, as GraphQL.NET's <c>GetArgument</c> gives it, read straight from the
    /// coerced arguments when it is already of its type (it always is for ints and enums): <c>GetArgument</c> first
    /// converts the name for the schema and checks whether the field is introspection's, on every call, for every
    /// <c>name</c> of every entity of an answer. Our argument names are the schema's as they are.
    /// </summary>
    internal static T? Argument<T>(this IResolveFieldContext context, string name)
        where T : struct
    {
        if (context.Arguments is null || !context.Arguments.TryGetValue(name, out var argument) || argument.Value is null)
        {
            return null;
        }

        return argument.Value is T value ? value : context.GetArgument<T?>(name);
    }

    /// <summary>
    /// An argument of a list, input object or string type: null straight away when it is not given (most are not), the
    /// coerced value when it already has its type (strings do), else what <c>GetArgument</c> converts it to.
    /// </summary>
    internal static T? OptionalArgument<T>(this IResolveFieldContext context, string name)
        where T : class
    {
        if (context.Arguments is null || !context.Arguments.TryGetValue(name, out var argument) || argument.Value is null)
        {
            return null;
        }

        return argument.Value as T ?? context.GetArgument<T?>(name);
    }

    /// <summary>Whether the client selected a field of this field's result, such as <c>totalCount</c>.</summary>
    public static bool Selects(this IResolveFieldContext context, string fieldName) =>
        context.SubFields?.ContainsKey(fieldName) ?? false;
}
