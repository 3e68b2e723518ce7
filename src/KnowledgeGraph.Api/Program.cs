using KnowledgeGraph.Api.Cli;
using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Api.Telemetry;
using KnowledgeGraph.Seed;

if (KnowledgeGraphCli.Handles(args))
{
    return await KnowledgeGraphCli.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGraphStore(builder.Configuration);
builder.Services.AddKnowledgeGraphApi(builder.Configuration);

var app = builder.Build();

if (ListenAddresses.FindInUse(app) is { } taken)
{
    await Console.Error.WriteLineAsync(ListenAddresses.InUseMessage(taken));
    return 1;
}

try
{
    await app.InitializeGraphStoreAsync();
}
catch (SeedValidationException invalid)
{
    // One message that names the file, the entry and the problem; the store was not touched.
    GraphStoreStartup.SeedRefused(app.Logger, invalid.Message);
    return 1;
}

// A preflight is answered before anything else: it carries no key and runs nothing.
app.UseCrossOriginAccess();
// Rate limits next, so that guessing keys at the gate is limited too.
app.UseKnowledgeGraphLimits();
// Before the gate and the endpoints: GraphQL subscriptions over WebSocket share /graphql with the HTTP transport.
app.UseWebSockets();
app.UseApiKeyGate();
app.MapHealthEndpoints();
app.MapKnowledgeGraphApi();
app.MapMetricsEndpoint();

try
{
    await app.RunAsync();
}
catch (IOException failure) when (ListenAddresses.IsAddressInUse(failure))
{
    // Taken between the check above and Kestrel's bind.
    await Console.Error.WriteLineAsync(ListenAddresses.InUseMessage(string.Join(';', app.Urls)));
    return 1;
}

return 0;

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
