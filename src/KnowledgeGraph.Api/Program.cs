using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Api.Limits;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGraphStore(builder.Configuration);
builder.Services.AddKnowledgeGraphApi();

var app = builder.Build();

await app.InitializeGraphStoreAsync();

app.UseKnowledgeGraphLimits();
app.MapHealthEndpoints();
app.MapKnowledgeGraphApi();

await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
