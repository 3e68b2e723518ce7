namespace KnowledgeGraph.Api.Security;

/// <summary>The <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Whether requests without a key may read. Writes always need a partner or admin key.</summary>
    public bool AllowAnonymousReads { get; set; } = true;
}
