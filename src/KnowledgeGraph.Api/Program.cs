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

// Rate limits first, so that guessing keys at the gate is limited too.
app.UseKnowledgeGraphLimits();
// Before the gate and the endpoints: GraphQL subscriptions over WebSocket share /graphql with the HTTP transport.
app.UseWebSockets();
app.UseApiKeyGate();
app.MapHealthEndpoints();
app.MapKnowledgeGraphApi();
app.MapMetricsEndpoint();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
