using System.Diagnostics;
using System.Net;
using GraphQL.DI;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using static KnowledgeGraph.IntegrationTests.Limits.Attack;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>An operation past <c>Limits:ExecutionTimeout</c> is cancelled and answered 504 TIMEOUT.</summary>
public sealed class TimeoutTests : IAsyncDisposable
{
    private readonly TaskCompletionSource<bool> _slowFieldCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KnowledgeGraphApp _app;

    public TimeoutTests()
    {
        _app = new KnowledgeGraphApp
        {
            Settings = [("Limits:ExecutionTimeout", "00:00:01")],
            TestServices = services => services.AddSingleton<IConfigureSchema>(new TestField("slow", async context =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
                    return "too late";
                }
                catch (OperationCanceledException)
                {
                    _slowFieldCancelled.TrySetResult(true);
                    throw;
                }
            })),
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_resolver_past_the_timeout_is_cancelled_and_answered_504_TIMEOUT_while_others_are_served()
    {
        var watch = Stopwatch.StartNew();
        var slow = _app.PostAsync("{ slow }");
        // Ordinary queries keep being answered while the slow one waits.
        AssertServed(await _app.PostAsync(OrdinaryQuery));
        AssertServed(await _app.PostAsync(OrdinaryQuery));

        var response = await slow;

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal(["TIMEOUT"], response.ErrorCodes);
        Assert.False(response.HasData);
        Assert.True(await _slowFieldCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_query_within_the_timeout_is_unaffected()
    {
        AssertServed(await _app.PostAsync(OrdinaryQuery));
    }
}
