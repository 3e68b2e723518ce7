using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Security;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGraphStore(builder.Configuration);
builder.Services.AddKnowledgeGraphApi();

var app = builder.Build();

await app.InitializeGraphStoreAsync();

// Rate limits first, so that guessing keys at the gate is limited too.
app.UseKnowledgeGraphLimits();
app.UseApiKeyGate();
app.MapHealthEndpoints();
app.MapKnowledgeGraphApi();

await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
