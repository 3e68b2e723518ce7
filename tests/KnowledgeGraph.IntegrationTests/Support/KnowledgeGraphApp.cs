using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// The API over real HTTP (in-memory test server) with its own SQLite file in a fresh temporary folder, seeded at
/// start. Share one per test class with <c>IClassFixture&lt;KnowledgeGraphApp&gt;</c>; tests that write should use
/// their own instance.
/// </summary>
public sealed class KnowledgeGraphApp : WebApplicationFactory<Program>
{
    /// <summary>What GraphQL clients conforming to GraphQL-over-HTTP send.</summary>
    public const string GraphQLAccept = "application/graphql-response+json, application/json;q=0.9";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "kg-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The hosting environment; error details are hidden outside <c>Development</c>.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>Extra configuration, e.g. <c>("Store:SeedOnStart", "false")</c>.</summary>
    public IReadOnlyList<(string Key, string Value)> Settings { get; init; } = [];

    /// <summary>Replaces or adds services after the app's own registrations (fakes, failing stores...).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public string DataDirectory => _dataDirectory;

    /// <summary>
    /// Serves the app with real Kestrel on a free loopback port instead of the in-memory test server, and returns its
    /// address: for what only a real socket shows (a client that stops reading, frames as sent). Call before any other use.
    /// </summary>
    public Uri StartKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>POSTs <c>{query, variables, operationName}</c> as <c>application/json</c> to <c>/graphql</c>.</summary>
    public Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? acceptLanguage = null, string? operationName = null, string accept = GraphQLAccept)
    {
        var body = JsonSerializer.Serialize(new { query, operationName, variables });
        return PostRawAsync(body, "application/json", accept, acceptLanguage);
    }

    /// <summary>POSTs a body exactly as given, for malformed requests.</summary>
    public async Task<GraphQLResponse> PostRawAsync(string body, string? contentType = "application/json", string? accept = GraphQLAccept, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql");
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(request, accept, acceptLanguage);
    }

    /// <summary>GETs <c>/graphql</c> with the given query-string parameters (URL-encoded here).</summary>
    public async Task<GraphQLResponse> GetAsync(IReadOnlyDictionary<string, string> parameters, string? accept = GraphQLAccept, string? acceptLanguage = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var queryString = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, queryString.Length == 0 ? "/graphql" : $"/graphql?{queryString}");
        return await SendAsync(request, accept, acceptLanguage);
    }

    /// <summary>GETs a GraphQL query (and optional variables) from <c>/graphql</c>.</summary>
    public Task<GraphQLResponse> GetQueryAsync(string query, object? variables = null, string? accept = GraphQLAccept, string? acceptLanguage = null)
    {
        var parameters = new Dictionary<string, string> { ["query"] = query };
        if (variables is not null)
        {
            parameters["variables"] = JsonSerializer.Serialize(variables);
        }

        return GetAsync(parameters, accept, acceptLanguage);
    }

    /// <summary>Sends any request and reads the answer as a GraphQL response (a non-JSON body leaves <see cref="GraphQLResponse.Json"/> undefined).</summary>
    public async Task<GraphQLResponse> SendAsync(HttpRequestMessage request, string? accept = GraphQLAccept, string? acceptLanguage = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var client = CreateUnbufferedClient();
        using var response = await client.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    /// <summary>
    /// A client that sends bodies as they are: the factory's default client follows redirects, and to do so buffers
    /// every request body and declares its length, which would hide how the server reads a body of unknown length.
    /// </summary>
    public HttpClient CreateUnbufferedClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Sqlite:DataDirectory", _dataDirectory);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory.
        }
    }
}

/// <summary>An HTTP answer read once: status, media type, headers and the parsed body.</summary>
public sealed record GraphQLResponse(HttpStatusCode Status, string? MediaType, string? CharSet, IReadOnlyDictionary<string, string> Headers, string Body, JsonElement Json)
{
    /// <summary><c>data</c>, or an undefined element when the body has none.</summary>
    public JsonElement Data => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("data", out var data) ? data : default;

    public bool HasData => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("data", out _);

    /// <summary>The <c>errors</c> array, empty when there is none.</summary>
    public IReadOnlyList<JsonElement> Errors => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("errors", out var errors)
        ? [.. errors.EnumerateArray()]
        : [];

    /// <summary>Each error's <c>extensions.code</c>.</summary>
    public IReadOnlyList<string?> ErrorCodes => [.. Errors.Select(e =>
        e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var code) ? code.GetString() : null)];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var json = default(JsonElement);
        if (body.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true)
        {
            using var document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
        }

        var contentType = response.Content.Headers.ContentType;
        return new GraphQLResponse(response.StatusCode, contentType?.MediaType, contentType?.CharSet, headers, body, json);
    }

    public override string ToString() => $"{(int)Status} {MediaType}: {Body}";
}
