using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Neo4j.Transport;

/// <summary>
/// Neo4j refused a statement for a reason that retrying will not change (invalid Cypher, a constraint broken, a
/// wrong parameter type): a defect of this program or its data, not an outage. The message names the statement.
/// </summary>
public sealed class Neo4jQueryException : Exception
{
    public Neo4jQueryException()
    {
        Code = string.Empty;
    }

    public Neo4jQueryException(string message)
        : base(message)
    {
        Code = string.Empty;
    }

    public Neo4jQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = string.Empty;
    }

    public Neo4jQueryException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Neo4j's status code, such as <c>Neo.ClientError.Statement.SyntaxError</c>.</summary>
    public string Code { get; }
}

/// <summary>A failure worth retrying (connection refused, 503, a Neo4j transient error); becomes a <see cref="StoreUnavailableException"/> once retries run out.</summary>
internal sealed class TransientNeo4jException : Exception
{
    public TransientNeo4jException()
    {
    }

    public TransientNeo4jException(string message)
        : base(message)
    {
    }

    public TransientNeo4jException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Turns Neo4j's status codes into exceptions whose messages say what to do.</summary>
internal static class Neo4jErrors
{
    /// <summary>
    /// The exception for an error answer. Messages of <see cref="StoreUnavailableException"/> reach API clients, so
    /// they name no host, user or password; those go to the logs.
    /// </summary>
    public static Exception ToException(Neo4jError error, int httpStatus, string statementName, string database)
    {
        var code = error.Code;
        if (error.IsTransient)
        {
            return new TransientNeo4jException($"Neo4j is temporarily unable to run '{statementName}' ({code}): {error.Message}");
        }

        return code switch
        {
            "Neo.ClientError.Security.Unauthorized" or "Neo.ClientError.Security.AuthenticationRateLimit"
                or "Neo.ClientError.Security.CredentialsExpired" or "Neo.ClientError.Security.TokenExpired" =>
                new StoreUnavailableException(
                    $"The graph store refused the configured credentials ({code}); check Neo4j:User and Neo4j:Password."),
            "Neo.ClientError.Security.Forbidden" or "Neo.ClientError.Security.AuthorizationExpired" =>
                new StoreUnavailableException(
                    $"The graph store's user is not allowed to run '{statementName}' ({code})."),
            "Neo.ClientError.Request.InvalidFormat" when httpStatus == 401 =>
                new StoreUnavailableException(
                    $"The graph store could not read the credentials sent ({code}); check Neo4j:User and Neo4j:Password."),
            "Neo.ClientError.Database.DatabaseNotFound" =>
                new StoreUnavailableException(
                    $"The graph store has no database named '{database}' ({code}); check Neo4j:Database."),
            "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase" =>
                new StoreUnavailableException($"The graph store's database '{database}' is read-only ({code})."),
            "Neo.ClientError.Statement.SyntaxError" =>
                new Neo4jQueryException(code, $"Neo4j rejected the Cypher of '{statementName}' as invalid ({code}): {error.Message}"),
            "Neo.ClientError.Statement.ParameterMissing" or "Neo.ClientError.Statement.TypeError" =>
                new Neo4jQueryException(code, $"Neo4j rejected the parameters of '{statementName}' ({code}): {error.Message}"),
            "Neo.ClientError.Schema.ConstraintValidationFailed" =>
                new Neo4jQueryException(code, $"'{statementName}' would break a constraint of the graph ({code}): {error.Message}"),
            "Neo.ClientError.Transaction.TransactionNotFound" =>
                new StoreUnavailableException($"The graph store no longer knows the transaction of '{statementName}'; it timed out or was rolled back ({code})."),
            _ when code.StartsWith("Neo.DatabaseError.", StringComparison.Ordinal) =>
                new StoreUnavailableException($"The graph store failed while running '{statementName}' ({code})."),
            _ when httpStatus == 401 =>
                new StoreUnavailableException("The graph store refused the configured credentials (HTTP 401); check Neo4j:User and Neo4j:Password."),
            _ => new Neo4jQueryException(code, $"Neo4j refused '{statementName}' ({(code.Length == 0 ? $"HTTP {httpStatus}" : code)}): {error.Message}"),
        };
    }

    /// <summary>The exception for an HTTP answer that carries no Neo4j error.</summary>
    public static Exception FromStatus(int httpStatus, string statementName) => httpStatus switch
    {
        401 => new StoreUnavailableException("The graph store refused the configured credentials (HTTP 401); check Neo4j:User and Neo4j:Password."),
        403 => new StoreUnavailableException($"The graph store forbade '{statementName}' (HTTP 403)."),
        404 => new StoreUnavailableException(
            "The graph store has no Query API at the configured address (HTTP 404): Neo4j:Uri must be the HTTP(S) address of Neo4j 5.19 or later (for example http://localhost:7474), with the Query API enabled."),
        408 or 429 or 502 or 503 or 504 => new TransientNeo4jException($"The graph store answered HTTP {httpStatus} to '{statementName}'."),
        >= 500 => new TransientNeo4jException($"The graph store failed with HTTP {httpStatus} on '{statementName}'."),
        _ => new Neo4jQueryException(string.Empty, $"The graph store answered HTTP {httpStatus} to '{statementName}'."),
    };
}
