using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KnowledgeGraph.Store.Neo4j.Transport;

/// <summary>
/// <see cref="ICypherRunner"/> over Neo4j's HTTP Query API v2 (Neo4j 5.19+, Aura): <c>POST /db/{db}/query/v2</c> for
/// one statement, <c>/db/{db}/query/v2/tx</c> for explicit transactions. Results are asked for in typed JSON so that
/// integers, floats and graph values decode without guessing. Every request has a timeout; requests outside a
/// transaction are retried with exponential back-off when the failure is transient.
/// </summary>
public sealed partial class QueryApiCypherRunner : ICypherRunner
{
    /// <summary>Neo4j's JSON with type information (<c>{"$type": "Integer", "_value": "1"}</c>).</summary>
    public const string TypedJsonMediaType = "application/vnd.neo4j.query";

    /// <summary>A cluster answers with this header on opening a transaction; every later request of it must carry it back.</summary>
    public const string ClusterAffinityHeader = "neo4j-cluster-affinity";

    private static readonly JsonSerializerOptions ParameterJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    private readonly HttpClient _http;
    private readonly Neo4jOptions _options;
    private readonly ILogger _logger;
    private readonly Uri _uri;
    private readonly Uri _queryUri;
    private readonly Uri _transactionsUri;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly ResiliencePipeline _retrying;
    private readonly ResiliencePipeline _once;

    public QueryApiCypherRunner(HttpClient http, IOptions<Neo4jOptions> options, ILogger<QueryApiCypherRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _logger = logger;
        var root = _options.GetQueryApiUri();
        _uri = root;
        var baseUri = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        _queryUri = new Uri(baseUri, $"db/{Uri.EscapeDataString(_options.Database)}/query/v2");
        _transactionsUri = new Uri(baseUri, $"db/{Uri.EscapeDataString(_options.Database)}/query/v2/tx");
        _authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{_options.Password}")));
        _once = new ResiliencePipelineBuilder().AddTimeout(_options.RequestTimeout).Build();
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientNeo4jException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                OnRetry = args =>
                {
                    Retrying(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "no answer");
                    return default;
                },
            });
        }

        _retrying = builder.AddTimeout(_options.RequestTimeout).Build();
    }

    public async Task<CypherResult> RunAsync(CypherStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var (response, _) = await ExecuteAsync(statement.Name, _retrying, HttpMethod.Post, _queryUri, statement, affinity: null, cancellationToken);
        return response.Result;
    }

    public async Task<ICypherTransaction> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        // Opening is safe to retry: a transaction opened by a lost answer is rolled back by the server when idle.
        var (response, affinity) = await ExecuteAsync("BeginTransaction", _retrying, HttpMethod.Post, _transactionsUri, null, null, cancellationToken);
        if (response.Transaction is not { Id.Length: > 0 } transaction)
        {
            throw new Neo4jQueryException(string.Empty, "Neo4j opened no transaction: its answer carried no transaction id. Is this the Query API of Neo4j 5.26 or later?");
        }

        TransactionOpened(_logger, transaction.Id);
        return new Transaction(this, new Uri(_transactionsUri.AbsoluteUri + "/" + Uri.EscapeDataString(transaction.Id)), affinity);
    }

    private async Task<CypherResult> RunInTransactionAsync(Uri transactionUri, string? affinity, CypherStatement statement, CancellationToken cancellationToken)
    {
        var (response, _) = await ExecuteAsync(statement.Name, _once, HttpMethod.Post, transactionUri, statement, affinity, cancellationToken);
        return response.Result;
    }

    private async Task CommitAsync(Uri transactionUri, string? affinity, CancellationToken cancellationToken) =>
        await ExecuteAsync("Commit", _once, HttpMethod.Post, new Uri(transactionUri.AbsoluteUri + "/commit"), null, affinity, cancellationToken);

    private async Task RollbackAsync(Uri transactionUri, string? affinity, CancellationToken cancellationToken) =>
        await ExecuteAsync("Rollback", _once, HttpMethod.Delete, transactionUri, null, affinity, cancellationToken);

    private async Task<(QueryApiResponse Response, string? Affinity)> ExecuteAsync(
        string name,
        ResiliencePipeline pipeline,
        HttpMethod method,
        Uri uri,
        CypherStatement? statement,
        string? affinity,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await pipeline.ExecuteAsync(
                async token => await SendAsync(name, method, uri, statement, affinity, token),
                cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            StatementRan(_logger, name, result.Response.Result.Records.Count, elapsed.TotalMilliseconds);
            return result;
        }
        catch (TimeoutRejectedException exception)
        {
            var message = $"The graph store did not answer '{name}' within {_options.RequestTimeout.TotalSeconds:0.###} s.";
            Unavailable(_logger, name, _uri, message);
            throw new StoreUnavailableException(message, exception);
        }
        catch (TransientNeo4jException exception)
        {
            Unavailable(_logger, name, _uri, exception.Message);
            throw new StoreUnavailableException(exception.Message, exception);
        }
        catch (StoreUnavailableException exception)
        {
            Unavailable(_logger, name, _uri, exception.Message);
            throw;
        }
    }

    private async Task<(QueryApiResponse Response, string? Affinity)> SendAsync(
        string name, HttpMethod method, Uri uri, CypherStatement? statement, string? affinity, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TypedJsonMediaType));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.5));
        if (affinity is not null)
        {
            request.Headers.TryAddWithoutValidation(ClusterAffinityHeader, affinity);
        }

        // Opening and committing a transaction send no body, which the Query API documents as allowed.
        if (statement is not null)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new RequestBody(statement.Text, statement.Parameters), ParameterJson);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            var reason = exception.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "the connection was refused or lost",
                HttpRequestError.NameResolutionError => "its host name does not resolve",
                HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                _ => "the request failed",
            };
            throw new TransientNeo4jException($"The graph store cannot be reached: {reason}.", exception);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = (int)response.StatusCode;
            QueryApiResponse decoded;
            try
            {
                decoded = QueryApiResponseReader.Read(bytes);
            }
            catch (JsonException exception) when (!response.IsSuccessStatusCode)
            {
                // A proxy's HTML error page, or an empty 5xx: the status says enough.
                var error = Neo4jErrors.FromStatus(status, name);
                throw error is TransientNeo4jException ? new TransientNeo4jException(error.Message, exception) : error;
            }
            catch (JsonException exception)
            {
                throw new Neo4jQueryException(string.Empty, $"Neo4j's answer to '{name}' is not the Query API's JSON: {exception.Message}");
            }

            if (decoded.Errors.Count > 0)
            {
                throw Neo4jErrors.ToException(decoded.Errors[0], status, name, _options.Database);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Neo4jErrors.FromStatus(status, name);
            }

            var newAffinity = response.Headers.TryGetValues(ClusterAffinityHeader, out var values) ? values.FirstOrDefault() : null;
            return (decoded, newAffinity ?? affinity);
        }
    }

    private sealed record RequestBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("statement")] string Statement,
        [property: System.Text.Json.Serialization.JsonPropertyName("parameters")] IReadOnlyDictionary<string, object?> Parameters);

    private sealed class Transaction(QueryApiCypherRunner runner, Uri uri, string? affinity) : ICypherTransaction
    {
        private bool _finished;

        public Task<CypherResult> RunAsync(CypherStatement statement, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(statement);
            ObjectDisposedException.ThrowIf(_finished, this);
            return runner.RunInTransactionAsync(uri, affinity, statement, cancellationToken);
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            _finished = true;
            await runner.CommitAsync(uri, affinity, cancellationToken);
        }

        public async Task RollbackAsync(CancellationToken cancellationToken)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            await runner.RollbackAsync(uri, affinity, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (_finished)
            {
                return;
            }

            try
            {
                // Best effort: a failed statement may already have ended the transaction on the server, and the
                // server rolls back idle transactions itself.
                await RollbackAsync(CancellationToken.None);
            }
            catch (Exception exception) when (exception is StoreUnavailableException or Neo4jQueryException)
            {
                RollbackFailed(runner._logger, exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Neo4j ran {Statement}: {Records} records in {ElapsedMs:0.0} ms")]
    private static partial void StatementRan(ILogger logger, string statement, int records, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Neo4j request failed transiently; retry {Attempt} in {DelayMs:0} ms: {Reason}")]
    private static partial void Retrying(ILogger logger, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Neo4j at {Uri} could not run {Statement}: {Reason}")]
    private static partial void Unavailable(ILogger logger, string statement, Uri? uri, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Neo4j transaction {TransactionId} opened")]
    private static partial void TransactionOpened(ILogger logger, string transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Neo4j transaction could not be rolled back: {Reason}")]
    private static partial void RollbackFailed(ILogger logger, string reason);
}
