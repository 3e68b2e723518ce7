using System.Text;
using KnowledgeGraph.Api.Http.WebSockets;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>A close reason always fits the protocol's 123 bytes of UTF-8, cut on a character boundary.</summary>
public sealed class CloseReasonTests
{
    public static TheoryData<string> Reasons => new()
    {
        "",
        "Subscriber for 1 already exists",
        new string('a', 200),
        "Invalid message received: unexpected message type '" + string.Concat(Enumerable.Repeat("é", 100)) + "'",
        "id " + string.Concat(Enumerable.Repeat("😀", 60)),
        "lone \ud800 surrogate " + new string('z', 150),
        string.Concat(Enumerable.Repeat("日本", 80)),
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void A_reason_is_cut_to_123_bytes_of_valid_utf8_keeping_its_start(string reason)
    {
        var fitted = CloseReasons.Fit(reason);
        var bytes = Encoding.UTF8.GetBytes(fitted);

        Assert.InRange(bytes.Length, 0, 123);
        Assert.Equal(fitted, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        if (Encoding.UTF8.GetByteCount(reason) <= 123 && !reason.Contains('\ud800', StringComparison.Ordinal))
        {
            Assert.Equal(reason, fitted);
        }
        else
        {
            Assert.EndsWith("…", fitted, StringComparison.Ordinal);
            Assert.StartsWith(fitted[..Math.Min(5, fitted.Length - 1)], reason.Replace('\ud800', '\ufffd'), StringComparison.Ordinal);
        }
    }
}
