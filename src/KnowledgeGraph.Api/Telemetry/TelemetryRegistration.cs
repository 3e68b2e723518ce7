using GraphQL.Telemetry;
using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Storage;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KnowledgeGraph.Api.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The <c>OpenTelemetry</c> section's OTLP endpoint; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> works too.</summary>
    public const string OtlpEndpointKey = "OpenTelemetry:OtlpEndpoint";

    /// <summary>
    /// Metrics (ASP.NET Core, HTTP client, runtime, store calls, response cache) for the Prometheus endpoint and, with
    /// an OTLP endpoint configured, traces and metrics over OTLP. The store is wrapped so every call is measured.
    /// </summary>
    public static IServiceCollection AddKnowledgeGraphTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        DecorateGraphStore(services, configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Sqlite);

        services.AddHostedService<CacheMemoryGauges>();
        var otlpEndpoint = configuration[OtlpEndpointKey];
        var otlpFromEnvironment = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: configuration["OpenTelemetry:ServiceName"] ?? "knowledge-graph"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(KnowledgeGraphTelemetry.Name)
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));

        // Traces cost an activity per request and per store call; they are collected only when someone receives them.
        if (string.IsNullOrEmpty(otlpEndpoint) && !otlpFromEnvironment)
        {
            return services;
        }

        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsScrape(context))
            .AddHttpClientInstrumentation()
            .AddSource(KnowledgeGraphTelemetry.Name, GraphQLTelemetryProvider.SourceName));

        // Traces, metrics and logs over OTLP. Without OpenTelemetry:OtlpEndpoint the standard OTEL_EXPORTER_OTLP_*
        // variables apply as they are.
        if (string.IsNullOrEmpty(otlpEndpoint))
        {
            telemetry.UseOtlpExporter();
        }
        else
        {
            var protocol = string.Equals(configuration["OpenTelemetry:OtlpProtocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
                : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(otlpEndpoint));
        }

        return services;
    }

    /// <summary>Prometheus metrics at <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }

    private static bool IsScrape(HttpContext context) => context.Request.Path.StartsWithSegments("/metrics");

    private static void DecorateGraphStore(IServiceCollection services, string provider)
    {
        var registered = services.LastOrDefault(service => service.ServiceType == typeof(IGraphStore))
            ?? throw new InvalidOperationException("Register the graph store before telemetry.");
        services.Remove(registered);
        services.AddSingleton<IGraphStore>(sp => new InstrumentedGraphStore(Create(sp, registered), provider));
    }

    private static IGraphStore Create(IServiceProvider services, ServiceDescriptor descriptor) => (IGraphStore)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
