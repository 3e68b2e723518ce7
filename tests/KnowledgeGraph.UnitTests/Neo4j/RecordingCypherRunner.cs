using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>
/// A runner that records what the store sends and answers from canned results by statement name, so store logic is
/// tested without a server. Transactions record into the same log, with Begin/Commit/Rollback entries.
/// </summary>
internal sealed class RecordingCypherRunner : ICypherRunner
{
    private readonly Dictionary<string, Func<CypherStatement, CypherResult>> _answers = new(StringComparer.Ordinal);

    public List<string> Log { get; } = [];

    public List<CypherStatement> Statements { get; } = [];

    /// <summary>A statement name whose run in a transaction fails, to test rollback.</summary>
    public string? FailInTransaction { get; set; }

    /// <summary>The one statement of that name that was sent.</summary>
    public CypherStatement Sent(string name) => Statements.Single(s => s.Name == name);

    public RecordingCypherRunner Answer(string name, CypherResult result) => Answer(name, _ => result);

    public RecordingCypherRunner Answer(string name, Func<CypherStatement, CypherResult> answer)
    {
        _answers[name] = answer;
        return this;
    }

    public Task<CypherResult> RunAsync(CypherStatement statement, CancellationToken cancellationToken)
    {
        Log.Add(statement.Name);
        Statements.Add(statement);
        return Task.FromResult(_answers.TryGetValue(statement.Name, out var answer) ? answer(statement) : CypherResult.Empty);
    }

    public Task<ICypherTransaction> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        Log.Add("Begin");
        return Task.FromResult<ICypherTransaction>(new Transaction(this));
    }

    public static CypherResult Result(string[] fields, params object?[][] rows) =>
        new(fields, rows.Select(r => new CypherRecord(fields, r)).ToList(), []);

    private sealed class Transaction(RecordingCypherRunner runner) : ICypherTransaction
    {
        private bool _done;

        public async Task<CypherResult> RunAsync(CypherStatement statement, CancellationToken cancellationToken)
        {
            if (statement.Name == runner.FailInTransaction)
            {
                runner.Log.Add("Failed " + statement.Name);
                throw new Neo4jQueryException("Neo.ClientError.Schema.ConstraintValidationFailed", "boom");
            }

            return await runner.RunAsync(statement, cancellationToken);
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            _done = true;
            runner.Log.Add("Commit");
            return Task.CompletedTask;
        }

        public Task RollbackAsync(CancellationToken cancellationToken)
        {
            _done = true;
            runner.Log.Add("Rollback");
            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                await RollbackAsync(CancellationToken.None);
            }
        }
    }
}
