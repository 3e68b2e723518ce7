using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>Keeps every log line of an app, formatted, to assert on what was (and was not) logged.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries => [.. _entries];

    public IReadOnlyList<string> Messages(string categoryEndsWith) =>
        [.. _entries.Where(e => e.Category.EndsWith(categoryEndsWith, StringComparison.Ordinal)).Select(e => e.Message)];

    /// <summary>
    /// The messages of a category once one of them matches, for a line logged in the background after what the
    /// test observed (for example, after a publish that another instance has already delivered).
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForMessageAsync(string categoryEndsWith, Func<string, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var deadline = DateTime.UtcNow + timeout;
        var messages = Messages(categoryEndsWith);
        while (!messages.Any(match) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            messages = Messages(categoryEndsWith);
        }

        return messages;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
