namespace KnowledgeGraph.Api.Errors;

public static partial class ErrorCodes
{
    /// <summary>The document nests fields deeper than <c>Limits:MaxDepth</c> (or introspection lists more than twice).</summary>
    public const string QueryTooDeep = "QUERY_TOO_DEEP";

    /// <summary>The document's cost is over <c>Limits:MaxComplexity</c>.</summary>
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";

    /// <summary>The document has more aliases than <c>Limits:MaxAliases</c>.</summary>
    public const string TooManyAliases = "TOO_MANY_ALIASES";

    /// <summary>The document selects more fields than <c>Limits:MaxFields</c>.</summary>
    public const string TooManyFields = "TOO_MANY_FIELDS";

    /// <summary>The document has more directives than <c>Limits:MaxDirectives</c>.</summary>
    public const string TooManyDirectives = "TOO_MANY_DIRECTIVES";

    /// <summary>The POST body is larger than <c>Limits:MaxRequestBytes</c> (413).</summary>
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";

    /// <summary>The client sent more requests than its rate limit allows (429, with <c>Retry-After</c>).</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The client (or the process) already runs as many expensive operations as it may (429, with <c>Retry-After</c>).</summary>
    public const string ConcurrencyLimited = "CONCURRENCY_LIMITED";

    /// <summary>The operation ran longer than <c>Limits:ExecutionTimeout</c> and was cancelled (504).</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>A POST a browser could send cross-site without a preflight (a form or text/plain body) and no preflight header.</summary>
    public const string CsrfRejected = "CSRF_REJECTED";

    /// <summary>The document asks for <c>__schema</c> or <c>__type</c> while <c>Limits:Introspection</c> is off.</summary>
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
}
