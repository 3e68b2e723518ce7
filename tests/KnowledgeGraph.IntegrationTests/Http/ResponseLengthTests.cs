using System.Net;
using System.Text;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Http;

/// <summary>
/// Every GraphQL answer over HTTP carries its Content-Length, served by real Kestrel: executed, from the response
/// cache, and a request error. Without it Kestrel chunks the body and sends its end in a second write.
/// </summary>
public sealed class ResponseLengthTests
{
    private const string Point = """{"query":"query($key: String!) { entity(key: $key) { key name kind } }","variables":{"key":"whatsapp"}}""";

    [Theory]
    [InlineData(false, Point, HttpStatusCode.OK, "BYPASS")]
    [InlineData(true, Point, HttpStatusCode.OK, "HIT")]
    [InlineData(false, """{"query":"{ entity(key: \"whatsapp\") { noSuchField } }"}""", HttpStatusCode.UnprocessableEntity, null)]
    public async Task An_answer_is_sent_with_its_length_and_not_chunked(bool cached, string body, HttpStatusCode status, string? cacheOutcome)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Cache:Enabled", cached ? "true" : "false")] };
        using var client = new HttpClient { BaseAddress = app.StartKestrel() };

        HttpResponseMessage? response = null;
        for (var i = 0; i < (cached ? 2 : 1); i++)
        {
            response?.Dispose();
            response = await client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        }

        using (response)
        {
            var bytes = await response!.Content.ReadAsByteArrayAsync();

            Assert.Equal(status, response.StatusCode);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
            Assert.True(bytes.Length > 10);
            if (cacheOutcome is not null)
            {
                Assert.Equal(cacheOutcome, response.Headers.GetValues("X-Cache").Single());
            }
        }
    }

    [Fact]
    public async Task The_pooled_buffer_keeps_every_byte_written_in_order_as_it_grows()
    {
        var expected = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await using var stream = new PooledBufferStream(initialCapacity: 16);

        for (var offset = 0; offset < expected.Length;)
        {
            var count = Math.Min(1 + (offset % 3000), expected.Length - offset);
            if (offset % 2 == 0)
            {
                stream.Write(expected, offset, count);
            }
            else
            {
                await stream.WriteAsync(expected.AsMemory(offset, count));
            }

            offset += count;
        }

        Assert.Equal(expected.Length, stream.Length);
        Assert.Equal(expected, stream.Written.ToArray());
    }
}
