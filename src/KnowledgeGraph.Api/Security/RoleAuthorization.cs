using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.Api.Security;

public static class RoleAuthorization
{
    private const string RequiredRoleKey = "kg:required-role";

    /// <summary>Only callers with at least <paramref name="role"/> may select this field, however they reach it.</summary>
    public static FieldBuilder<TSource, TReturn> RequiresRole<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, ApiRole role)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.WithMetadata(RequiredRoleKey, role);
    }

    public static ApiRole? RequiredRole(this IFieldType field) =>
        field.GetMetadata<ApiRole?>(RequiredRoleKey);
}

/// <summary>
/// Refuses, before anything runs, a document that selects a field the caller's role may not see: mutations for
/// readers, history for anyone but admins. It checks every field where it is selected, so fragments, nested fields
/// and <c>node(id:)</c> give no way round it.
/// </summary>
public sealed class RoleAuthorizationRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((node, validation) =>
        {
            var required = validation.TypeInfo.GetFieldDef()?.RequiredRole();
            if (required is not { } role)
            {
                return;
            }

            var caller = Caller.RoleOf(validation.User);
            if (caller is null)
            {
                validation.ReportError(new AuthorizationError(validation, node, ErrorCodes.Unauthenticated,
                    $"'{node.Name.StringValue}' needs an API key with the {role.ToString().ToLowerInvariant()} role; send it as 'Authorization: Bearer <key>'."));
            }
            else if (caller < role)
            {
                validation.ReportError(new AuthorizationError(validation, node, ErrorCodes.Forbidden,
                    $"'{node.Name.StringValue}' needs the {role.ToString().ToLowerInvariant()} role; this key has the {caller.Value.ToString().ToLowerInvariant()} role."));
            }
        }));
}

/// <summary>A field the caller may not select: <c>UNAUTHENTICATED</c> (401) without a key, <c>FORBIDDEN</c> (403) with too small a role.</summary>
public sealed class AuthorizationError : ValidationError, IHasPreferredStatusCode
{
    public AuthorizationError(ValidationContext context, ASTNode node, string code, string message)
        : base(context?.Document.Source ?? default, "kg-authorization", message, node!) => Code = code;

    public AuthorizationError()
        : base("Not authorized.")
    {
    }

    public AuthorizationError(string message)
        : base(message)
    {
    }

    public AuthorizationError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int PreferredStatusCode => Code == ErrorCodes.Unauthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
}
