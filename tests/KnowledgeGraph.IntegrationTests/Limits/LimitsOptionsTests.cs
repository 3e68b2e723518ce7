using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>An unsafe or inconsistent <c>Limits</c> value stops start-up with a message naming it.</summary>
public sealed class LimitsOptionsTests
{
    [Theory]
    [InlineData("Limits:MaxDepth", "0", "MaxDepth")]
    [InlineData("Limits:MaxComplexity", "-1", "MaxComplexity")]
    [InlineData("Limits:MaxRequestBytes", "10", "MaxRequestBytes")]
    [InlineData("Limits:ExecutionTimeout", "00:00:00", "ExecutionTimeout")]
    [InlineData("Limits:RateLimit:PermitLimit", "0", "PermitLimit")]
    [InlineData("Limits:RateLimit:AddressPermitLimit", "10", "AddressPermitLimit")]
    public async Task An_invalid_limit_stops_start_up_naming_it(string key, string value, string named)
    {
        await using var app = new KnowledgeGraphApp { Settings = [(key, value)] };

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
