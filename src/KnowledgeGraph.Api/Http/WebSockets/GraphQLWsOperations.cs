using System.Collections.Concurrent;
using GraphQL;
using GraphQLParser.AST;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;

namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// The operations one connection runs: their ids, the cap on how many run at once, and each one's lifecycle (run
/// through the pipeline, stream events, finish with <c>complete</c> or <c>error</c>, stop when the client completes
/// it or the connection closes). Messages go out through <paramref name="send"/>.
/// </summary>
internal sealed class GraphQLWsOperations(int maxOperations, Func<GraphQLWsConnection.Outgoing, bool> send)
{
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly Func<GraphQLWsConnection.Outgoing, bool> _send = send;

    /// <summary>What <see cref="TryStart"/> did.</summary>
    public enum StartOutcome
    {
        Started,

        /// <summary>An operation with this id is running: a protocol error (4409).</summary>
        DuplicateId,

        /// <summary>The connection runs the most operations it may; the client got an <c>error</c> for this one.</summary>
        TooMany,
    }

    /// <summary>Starts <paramref name="execute"/> as operation <paramref name="id"/>, unless the id runs or the cap is reached.</summary>
    public StartOutcome TryStart(string id, Func<CancellationToken, Task<GraphQLPipelineResult>> execute, CancellationToken connectionClosing)
    {
        var operation = new Operation(id, connectionClosing);
        if (!_operations.TryAdd(id, operation))
        {
            operation.Stop();
            return StartOutcome.DuplicateId;
        }

        if (_operations.Count > maxOperations)
        {
            _operations.TryRemove(new KeyValuePair<string, Operation>(id, operation));
            operation.Stop();
            _send(new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Error, id, new[]
            {
                new ExecutionError($"This connection already runs {maxOperations} operations, the most it may; complete one first.")
                {
                    Code = ErrorCodes.TooManyOperations,
                },
            }));
            return StartOutcome.TooMany;
        }

        _ = RunAsync(operation, execute);
        return StartOutcome.Started;
    }

    /// <summary>The client stopped listening to <paramref name="id"/>: no further message is sent for it.</summary>
    public void Complete(string id)
    {
        if (_operations.TryRemove(id, out var operation))
        {
            operation.Stop();
        }
    }

    /// <summary>Stops every operation (the connection is closing).</summary>
    public void StopAll()
    {
        foreach (var id in _operations.Keys)
        {
            Complete(id);
        }
    }

    private async Task RunAsync(Operation operation, Func<CancellationToken, Task<GraphQLPipelineResult>> execute)
    {
        var streaming = false;
        try
        {
            var answer = await execute(operation.Token);
            if (!operation.IsActive)
            {
                return;
            }

            if (answer.Body is { } body)
            {
                // Served by (or just stored in) the response cache, already serialised.
                if (_send(new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Next, operation.Id, new GraphQLWebSocketHandler.CachedResponse(body))))
                {
                    Finish(operation, new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Complete, operation.Id));
                }

                return;
            }

            var result = answer.Result;
            if (result.Streams is { Count: > 0 } streams)
            {
                streaming = true;
                operation.Attach(streams.Values.First().Subscribe(new OperationObserver(this, operation)));
                return;
            }

            var isSubscription = result.Operation?.Operation == OperationType.Subscription;
            if (!result.Executed || (isSubscription && result.Data is null))
            {
                // Refused before any result (validation, roles, limits, a stream that could not start): an error, no complete.
                Finish(operation, new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Error, operation.Id, (result.Errors ?? []).ToArray()));
                return;
            }

            if (_send(new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Next, operation.Id, result)))
            {
                Finish(operation, new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Complete, operation.Id));
            }
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            // Completed by the client, or the connection closed.
        }
        finally
        {
            if (!streaming)
            {
                _operations.TryRemove(new KeyValuePair<string, Operation>(operation.Id, operation));
            }
        }
    }

    // Sends the operation's last message unless the client completed it first, and frees its id.
    private void Finish(Operation operation, GraphQLWsConnection.Outgoing last)
    {
        if (_operations.TryRemove(new KeyValuePair<string, Operation>(operation.Id, operation)))
        {
            _send(last);
            operation.Stop();
        }
    }

    private sealed class Operation
    {
        private readonly CancellationTokenSource _cancellation;
        private IDisposable? _subscription;
        private int _stopped;

        public Operation(string id, CancellationToken connectionClosing)
        {
            Id = id;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(connectionClosing);
            Token = _cancellation.Token;
        }

        public string Id { get; }

        // Read once: the source is disposed when the operation stops, the token stays readable.
        public CancellationToken Token { get; }

        public bool IsActive => Volatile.Read(ref _stopped) == 0;

        public void Attach(IDisposable subscription)
        {
            Interlocked.Exchange(ref _subscription, subscription);
            if (!IsActive)
            {
                Interlocked.Exchange(ref _subscription, null)?.Dispose();
            }
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            Interlocked.Exchange(ref _subscription, null)?.Dispose();
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection's own token source is gone: everything has stopped already.
            }

            _cancellation.Dispose();
        }
    }

    private sealed class OperationObserver(GraphQLWsOperations operations, Operation operation) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            if (operation.IsActive)
            {
                operations._send(new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Next, operation.Id, value));
            }
        }

        public void OnError(Exception error)
        {
            var executionError = error as ExecutionError ?? new ExecutionError("The event stream failed.", error);
            operations.Finish(operation, new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Error, operation.Id, new[] { executionError }));
        }

        public void OnCompleted() => operations.Finish(operation, new GraphQLWsConnection.Outgoing(GraphQLWsProtocol.Complete, operation.Id));
    }
}
