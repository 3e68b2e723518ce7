using System.Security.Cryptography;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.LoadBenchmarks;

/// <summary>
/// The ceiling: bare Kestrel answering each request of the mix with the bytes the API answered it with, looked up by
/// the request body's hash. Nothing else runs, so it measures HTTP and the loopback alone.
/// </summary>
internal static class CeilingServer
{
    public static async Task RunAsync(int port, string recordedDirectory)
    {
        var responses = Directory.EnumerateFiles(recordedDirectory, "*.json")
            .ToDictionary(file => Path.GetFileNameWithoutExtension(file), File.ReadAllBytes, StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/ready", () => "ready");
        app.MapPost("/graphql", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var key = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
            var body = responses[key];
            context.Response.ContentType = "application/graphql-response+json; charset=utf-8";
            context.Response.Headers["X-Cache"] = "HIT";
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        await app.RunAsync();
    }

    public static string KeyOf(byte[] requestBody) => Convert.ToHexStringLower(SHA256.HashData(requestBody));
}
