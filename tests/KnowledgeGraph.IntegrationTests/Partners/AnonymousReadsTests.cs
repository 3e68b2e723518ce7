using System.Net;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.IntegrationTests.Partners;

public sealed class AnonymousReadsTests : IAsyncDisposable
{
    private readonly KnowledgeGraphApp _app = new() { Settings = [("Auth:AllowAnonymousReads", "false")] };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task With_anonymous_reads_off_a_read_needs_a_key_and_a_reader_key_is_enough()
    {
        var reader = await _app.IssueKeyAsync(ApiRole.Reader);

        var anonymous = await _app.PostAsync("""{ entity(key: "whatsapp") { name } }""");
        var withKey = await _app.PostWithKeyAsync(reader, """{ entity(key: "whatsapp") { name } }""");
        var health = await _app.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (anonymous.Status, anonymous.ErrorCodes.Single()));
        Assert.Equal("WhatsApp", withKey.Data.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
