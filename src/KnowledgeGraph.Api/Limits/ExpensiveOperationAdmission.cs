using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQLParser.AST;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.GraphQL.Types;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Limits;

/// <summary>The <c>Limits:Admission</c> configuration section: how many expensive operations may run at once.</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Limits:Admission";

    /// <summary>Whether expensive operations are counted and bounded at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Expensive operations one client (its API key, else its address) may run at once.</summary>
    [Range(1, 10_000)]
    public int MaxPerClient { get; set; } = 2;

    /// <summary>Expensive operations the whole process may run at once, whoever asks: half the cores, at least one.</summary>
    [Range(1, 10_000)]
    public int MaxTotal { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>The store deadline of one expensive operation: past it, it is cancelled and answered 504 <c>TIMEOUT</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A root <c>entities</c> page of at least this many (<c>first</c> or <c>last</c>) counts as expensive.</summary>
    [Range(1, 10_000)]
    public int LargePage { get; set; } = 50;

    /// <summary>
    /// How long an expensive operation that cannot be admitted at once waits for a place before it is refused (429);
    /// zero refuses at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many expensive operations may wait at once, in all (each client at most <see cref="MaxPerClient"/>); beyond,
    /// they are refused at once.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxQueued { get; set; } = 32;
}

/// <summary>
/// Fair admission of expensive operations, decided from the validated document: a query whose root selects
/// <c>search</c>, <c>path</c>, or <c>entities</c> with a <c>where</c> that scans (a name, a related neighbour or a figure, at any depth), an order by degree, or a large page. Each client
/// may run <see cref="AdmissionOptions.MaxPerClient"/> of them at once and the process
/// <see cref="AdmissionOptions.MaxTotal"/>; beyond either, the operation waits in a short bounded queue (at most
/// <see cref="AdmissionOptions.QueueTimeout"/>, <see cref="AdmissionOptions.MaxQueued"/> waiting, each client at
/// most its own share), then is refused with 429 <c>CONCURRENCY_LIMITED</c> and <c>Retry-After: 1</c> (over a
/// WebSocket, an <c>error</c> message with <c>retryAfter</c>), so heavy clients cannot queue up the cores that normal
/// requests need. An admitted one runs under <see cref="AdmissionOptions.Deadline"/>, counted from its admission. An
/// execution hook, so both transports get it.
/// </summary>
public sealed class ExpensiveOperationAdmission(IOptions<AdmissionOptions> options, IHttpContextAccessor http) : IConfigureExecution
{
    private readonly AdmissionOptions _options = options.Value;
    private readonly Dictionary<string, int> _running = [];
    private readonly Dictionary<string, int> _waiting = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _freed = NewSignal();
    private int _total;
    private int _queued;
    private long _refused;

    // After the document cache and the options the limits set, so that this runs closest to execution.
    public float SortOrder => 1000;

    /// <summary>Expensive operations running now.</summary>
    public int Running => Volatile.Read(ref _total);

    /// <summary>Expensive operations refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        if (!_options.Enabled)
        {
            return await next(options);
        }

        var requested = options.CancellationToken;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requested);
        options.CancellationToken = deadline.Token;
        var ticket = new Ticket(this, deadline);
        options.Listeners.Add(ticket);
        try
        {
            var result = await next(options);
            if (ticket.Refused)
            {
                // Refused before anything ran: no data entry, so the transport answers with the refusal's status.
                result.Executed = false;
                result.Data = null;
            }

            return result;
        }
        catch (OperationCanceledException) when (ticket.Admitted is not null && deadline.IsCancellationRequested && !requested.IsCancellationRequested)
        {
            return new ExecutionResult(new TimeoutError($"The operation ran past its deadline of {_options.Deadline.TotalSeconds:0.###} s for expensive operations and was cancelled."));
        }
        finally
        {
            ticket.Release();
        }
    }

    /// <summary>Whether the operation about to run is expensive: what its root selects, fragments included.</summary>
    internal bool IsExpensive(IExecutionContext context)
    {
        if (context.Operation.Operation != OperationType.Query)
        {
            return false;
        }

        return Selects(context, context.Operation.SelectionSet, depth: 0);
    }

    private bool Selects(IExecutionContext context, GraphQLSelectionSet set, int depth)
    {
        // Fragments at the root nest; the document limits bound them, and so does this.
        if (depth > 16)
        {
            return true;
        }

        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field when IsExpensive(context, field):
                case GraphQLInlineFragment inline when Selects(context, inline.SelectionSet, depth + 1):
                    return true;
                case GraphQLFragmentSpread spread
                    when FragmentOf(context, spread) is { } fragment && Selects(context, fragment.SelectionSet, depth + 1):
                    return true;
            }
        }

        return false;
    }

    private static GraphQLFragmentDefinition? FragmentOf(IExecutionContext context, GraphQLFragmentSpread spread) =>
        context.Document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name == spread.FragmentName.Name);

    private bool IsExpensive(IExecutionContext context, GraphQLField field)
    {
        var name = field.Name.StringValue;
        if (name is "search" or "path")
        {
            return true;
        }

        if (name != "entities" || field.Arguments is null)
        {
            return false;
        }

        foreach (var argument in field.Arguments)
        {
            var value = Resolve(context, argument.Value);
            switch (argument.Name.StringValue)
            {
                case "first" or "last" when AsInt(value) >= _options.LargePage:
                    return true;
                case "where" when Scans(context, value):
                case "orderBy" when OrdersByDegree(context, value):
                    return true;
            }
        }

        return false;
    }

    private static object? Resolve(IExecutionContext context, GraphQLValue value)
    {
        if (value is not GraphQLVariable variable)
        {
            return value;
        }

        foreach (var known in context.Variables)
        {
            if (known.Name == variable.Name.StringValue)
            {
                return known.Value;
            }
        }

        return null;
    }

    // The conditions no index answers: a name (scanned and folded), a relationship to a neighbour, a figure.
    private static readonly HashSet<string> ScanningConditions = new(["nameContains", "name", "related", "observation"], StringComparer.Ordinal);

    /// <summary>Whether a <c>where</c> value, literal or from a variable, holds a condition that scans, at any depth of AND/OR/NOT.</summary>
    private static bool Scans(IExecutionContext context, object? where, int depth = 0) => depth <= EntityFilterSpec.MaxDepth && where switch
    {
        GraphQLObjectValue literal => literal.Fields?.Any(f => Resolve(context, f.Value) is not (null or GraphQLNullValue) and var value
            && (ScanningConditions.Contains(f.Name.StringValue) || (f.Name.StringValue is "AND" or "OR" or "NOT" && Scans(context, value, depth + 1)))) == true,
        GraphQLListValue list => list.Values?.Any(v => Scans(context, Resolve(context, v), depth + 1)) == true,
        EntityFilterSpec spec => spec.NameContains is not null || spec.LegacyNameContains is not null || spec.NameEq is not null
            || spec.NameStartsWith is not null || spec.Related is not null || spec.Observation is not null
            || spec.And?.Any(s => Scans(context, s, depth + 1)) == true || spec.Or?.Any(s => Scans(context, s, depth + 1)) == true
            || (spec.Not is not null && Scans(context, spec.Not, depth + 1)),
        IDictionary<string, object?> map => map.Any(p => p.Value is not null
            && (ScanningConditions.Contains(p.Key) || (p.Key is "AND" or "OR" or "NOT" && Scans(context, p.Value, depth + 1)))),
        IEnumerable<object?> items => items.Any(i => Scans(context, i, depth + 1)),
        _ => false,
    };

    /// <summary>
    /// Whether an <c>orderBy</c> value, literal or from a variable, orders by degree: a count of relationships for every
    /// entity of the set before the first can be returned (about 0.6 s on 200,000 entities), whatever the page size.
    /// </summary>
    private static bool OrdersByDegree(IExecutionContext context, object? order, int depth = 0) => depth <= 2 && order switch
    {
        GraphQLListValue list => list.Values?.Any(v => OrdersByDegree(context, Resolve(context, v), depth + 1)) == true,
        GraphQLObjectValue literal => literal.Fields?.Any(f => f.Name.StringValue == "field"
            && Resolve(context, f.Value) is GraphQLEnumValue { Name.StringValue: "DEGREE" } or EntityOrderField.Degree) == true,
        EntityOrder parsed => parsed.Field == EntityOrderField.Degree,
        IEnumerable<object?> items => items.Any(i => OrdersByDegree(context, i, depth + 1)),
        _ => false,
    };

    private static long AsInt(object? value) => value switch
    {
        GraphQLIntValue literal => long.TryParse(literal.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : long.MaxValue,
        int number => number,
        long number => number,
        _ => 0,
    };

    private string ClientOf()
    {
        var context = http.HttpContext;
        return context is null
            ? "in-process"
            : RateLimitedClient.Of(ApiKeyAuthentication.ReadKey(context.Request), context.Connection.RemoteIpAddress).Client;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Decrement(Dictionary<string, int> counts, string client)
    {
        var count = counts.GetValueOrDefault(client) - 1;
        if (count <= 0)
        {
            counts.Remove(client);
        }
        else
        {
            counts[client] = count;
        }
    }

    // Under _gate.
    private bool TryEnterLocked(string client)
    {
        var mine = _running.GetValueOrDefault(client);
        if (mine >= _options.MaxPerClient || _total >= _options.MaxTotal)
        {
            return false;
        }

        _running[client] = mine + 1;
        _total++;
        return true;
    }

    // Admits at once, or waits for a place (each time one is freed, the waiters try again) until the queue timeout.
    private async Task<bool> EnterAsync(string client, CancellationToken cancellationToken)
    {
        Task freed;
        lock (_gate)
        {
            if (TryEnterLocked(client))
            {
                return true;
            }

            if (_options.QueueTimeout <= TimeSpan.Zero || _queued >= _options.MaxQueued || _waiting.GetValueOrDefault(client) >= _options.MaxPerClient)
            {
                return false;
            }

            _queued++;
            _waiting[client] = _waiting.GetValueOrDefault(client) + 1;
            freed = _freed.Task;
        }

        try
        {
            var until = Stopwatch.GetTimestamp() + (long)(_options.QueueTimeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                try
                {
                    await freed.WaitAsync(remaining, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return false;
                }

                lock (_gate)
                {
                    if (TryEnterLocked(client))
                    {
                        return true;
                    }

                    freed = _freed.Task;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _queued--;
                Decrement(_waiting, client);
            }
        }
    }

    private void Leave(string client)
    {
        TaskCompletionSource freed;
        lock (_gate)
        {
            Decrement(_running, client);
            _total--;
            freed = _freed;
            _freed = NewSignal();
        }

        freed.TrySetResult();
    }

    private GraphQLRequestError Refuse()
    {
        Interlocked.Increment(ref _refused);
        if (http.HttpContext?.Response is { HasStarted: false } response)
        {
            response.Headers.RetryAfter = "1";
        }

        var error = new GraphQLRequestError(
            HttpStatusCode.TooManyRequests,
            ErrorCodes.ConcurrencyLimited,
            "Too many expensive operations (search, path, name scans, large pages) at once; retry after 1 second.");
        error.Extensions ??= new Dictionary<string, object?>();
        error.Extensions["retryAfter"] = 1;
        return error;
    }

    // One per execution: admits it after validation, when its document is known, and lets it go when it ends.
    private sealed class Ticket(ExpensiveOperationAdmission admission, CancellationTokenSource deadline) : IDocumentExecutionListener
    {
        public string? Admitted { get; private set; }

        public bool Refused { get; private set; }

        public Task AfterValidationAsync(IExecutionContext context, global::GraphQL.Validation.IValidationResult validationResult) => Task.CompletedTask;

        public async Task BeforeExecutionAsync(IExecutionContext context)
        {
            if (!admission.IsExpensive(context))
            {
                return;
            }

            var client = admission.ClientOf();
            if (!await admission.EnterAsync(client, context.CancellationToken))
            {
                Refused = true;
                throw admission.Refuse();
            }

            Admitted = client;
            deadline.CancelAfter(admission._options.Deadline);
        }

        public Task AfterExecutionAsync(IExecutionContext context) => Task.CompletedTask;

        public void Release()
        {
            if (Admitted is { } client)
            {
                Admitted = null;
                admission.Leave(client);
            }
        }
    }
}

public static class AdmissionRegistration
{
    /// <summary>The admission of expensive operations (<c>Limits:Admission</c>), an execution hook for both transports.</summary>
    public static IServiceCollection AddExpensiveOperationAdmission(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton<ExpensiveOperationAdmission>();
        services.AddSingleton<IConfigureExecution>(sp => sp.GetRequiredService<ExpensiveOperationAdmission>());
        return services;
    }
}
