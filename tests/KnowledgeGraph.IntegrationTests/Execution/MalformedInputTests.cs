using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>The app served by real Kestrel, shared by the tests of one class.</summary>
public sealed class KestrelAppFixture : IAsyncLifetime
{
    public KnowledgeGraphApp App { get; } = new();

    public Uri Address { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Address = App.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Input no JSON reader should take two ways, or that would fail later, is refused with 400 <c>INVALID_JSON</c> over
/// real Kestrel, never a 500; over WebSocket, the connection is closed with 4400 and a reason that fits 123 bytes.
/// </summary>
public sealed class MalformedInputTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    // Each a POST body; \ud800 is written as the six characters of a JSON escape.
    public static TheoryData<string, string> Bodies => new()
    {
        { "a lone surrogate in query", """{"query":"{ __typename } # \ud800"}""" },
        { "a lone surrogate in operationName", """{"query":"query A { __typename }","operationName":"A\ud800"}""" },
        { "a lone surrogate in variables", """{"query":"{ __typename }","variables":{"a":"\ud800"}}""" },
        { "a lone surrogate in a variable's name", """{"query":"{ __typename }","variables":{"\udc00":1}}""" },
        { "duplicate names inside variables", """{"query":"query ($k: String!) { entity(key: $k) { key } }","variables":{"k":"signal","k":"whatsapp"}}""" },
        { "duplicate names deep inside variables", """{"query":"{ __typename }","variables":{"a":{"b":1,"b":2}}}""" },
        { "1e400 in an unused variable", """{"query":"{ __typename }","variables":{"unused":1e400}}""" },
        { "-1e400 in a list", """{"query":"{ __typename }","variables":{"a":[1,-1e400]}}""" },
        { "query twice", """{"query":"{ __typename }","query":"{ entities(first: 1) { totalCount } }"}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_post_body_is_a_400_with_INVALID_JSON(string name, string body)
    {
        var response = await PostAsync(Encoding.UTF8.GetBytes(body));

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{name}: {response}");
        Assert.Equal(["INVALID_JSON"], response.ErrorCodes);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_post_body_is_a_400_with_INVALID_JSON()
    {
        var body = Encoding.UTF8.GetBytes("""{"query":"{ __typename }","operationName":"X"}""");
        body[^3] = 0xC3; // a lead byte followed by '"': not UTF-8

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["INVALID_JSON"], response.ErrorCodes);
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""")]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1e400}""")]
    public async Task Malformed_get_variables_are_a_400_with_INVALID_JSON(string variables)
    {
        using var client = new HttpClient { BaseAddress = fixture.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=%7B__typename%7D&variables=" + Uri.EscapeDataString(variables));
        request.Headers.TryAddWithoutValidation("Accept", KnowledgeGraphApp.GraphQLAccept);
        using var answer = await client.SendAsync(request);
        var response = await GraphQLResponse.ReadAsync(answer);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["INVALID_JSON"], response.ErrorCodes);
    }

    [Fact]
    public async Task The_service_still_answers_after_malformed_input()
    {
        await PostAsync(Encoding.UTF8.GetBytes("""{"query":"{ __typename }","variables":{"a":1e400}}"""));

        var response = await PostAsync(Encoding.UTF8.GetBytes("""{"query":"{ __typename }","variables":{"a":1e300}}"""));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Query", response.Data.GetProperty("__typename").GetString());
    }

    public static TheoryData<string> Messages => new()
    {
        """{"id":"1","type":"subscribe","payload":{"query":"{ __typename }","variables":{"a":1e400}}}""",
        """{"id":"1","type":"subscribe","payload":{"query":"{ __typename }","variables":{"a":"\ud800"}}}""",
        """{"id":"1","type":"subscribe","payload":{"query":"{ __typename }","variables":{"a":1,"a":2}}}""",
        """{"id":"1","type":"subscribe","type":"complete","payload":{"query":"{ __typename }"}}""",
        """{"id":"1","type":"subscribe","payload":{"query":"\ud800"}}""",
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task A_malformed_subscribe_closes_the_socket_with_4400_and_a_short_reason(string message)
    {
        await using var client = await GraphQLWsClient.ConnectAsync(fixture.Address);
        await client.InitAsync();
        await client.SendRawAsync(message);

        var (code, reason) = await client.ClosedAsync();

        Assert.Equal(4400, code);
        Assert.InRange(Encoding.UTF8.GetByteCount(reason ?? ""), 1, 123);
    }

    [Fact]
    public async Task A_message_that_is_not_utf8_closes_the_socket_with_1007()
    {
        await using var client = await GraphQLWsClient.ConnectAsync(fixture.Address);
        await client.InitAsync();
        await client.SendBytesAsync([.. Encoding.UTF8.GetBytes("""{"type":"ping","payload":{"a":"""), 0xC3, (byte)'"', (byte)'}', (byte)'}']);

        // RFC 6455's code for a text frame that is not UTF-8, sent by the WebSocket layer before the protocol reads it.
        var (code, reason) = await client.ClosedAsync();
        Assert.True(code == 1007, $"closed with {code?.ToString(CultureInfo.InvariantCulture) ?? "no close frame"}: {reason}");
    }

    private async Task<GraphQLResponse> PostAsync(byte[] body)
    {
        using var client = new HttpClient { BaseAddress = fixture.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", KnowledgeGraphApp.GraphQLAccept);
        using var answer = await client.SendAsync(request);
        return await GraphQLResponse.ReadAsync(answer);
    }
}
