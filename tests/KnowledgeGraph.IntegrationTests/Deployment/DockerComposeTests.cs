using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Deployment;

/// <summary>Skipped, with the reason, where Debian's docker-compose (and the YAML module it brings) is not installed.</summary>
public sealed class ComposeFactAttribute : FactAttribute
{
    public ComposeFactAttribute()
    {
        if (!DockerCompose.IsInstalled)
        {
            Skip = "docker-compose is not installed (apt-get install -y docker-compose); the compose file is checked with its parser.";
        }
    }
}

internal static class DockerCompose
{
    public static bool IsInstalled { get; } = OnPath("docker-compose") && OnPath("python3");

    private static string ComposeFile => Path.Combine(RepositoryPaths.Root, "docker-compose.yml");

    /// <summary><c>docker-compose config</c>: parses, validates and interpolates the file without an engine.</summary>
    public static (int ExitCode, string Output) Config(string arguments = "", IDictionary<string, string>? environment = null) =>
        Run("docker-compose", $"-f \"{ComposeFile}\" config {arguments}", environment);

    /// <summary>The resolved file as JSON, converted by the YAML module docker-compose itself depends on.</summary>
    public static JsonElement ResolvedJson(IDictionary<string, string>? environment = null)
    {
        var (code, yaml) = Config(environment: environment);
        Assert.True(code == 0, yaml);
        var (jsonCode, json) = Run("python3", "-c \"import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))\"", null, yaml);
        Assert.True(jsonCode == 0, json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static (int ExitCode, string Output) Run(string file, string arguments, IDictionary<string, string>? environment, string? input = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        start.Environment.Remove("NEO4J_PASSWORD"); // the file's own defaults, unless a test sets it
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} took more than a minute.");
        }

        return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stdout.Result + stderr.Result);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Any(directory => File.Exists(Path.Combine(directory, tool)));
}

public class DockerComposeTests
{
    [ComposeFact]
    public void The_compose_file_is_valid_and_holds_the_three_services()
    {
        var (code, services) = DockerCompose.Config("--services");

        Assert.True(code == 0, services);
        Assert.Equal(["api", "neo4j", "redis"], services.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [ComposeFact]
    public void Images_are_pinned_services_wait_for_healthy_dependencies_and_data_lives_in_named_volumes()
    {
        var compose = DockerCompose.ResolvedJson();
        var services = compose.GetProperty("services");

        Assert.StartsWith("neo4j:5.26", services.GetProperty("neo4j").GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("redis:7.", services.GetProperty("redis").GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.Equal("Dockerfile", services.GetProperty("api").GetProperty("build").GetProperty("dockerfile").GetString());
        foreach (var name in new[] { "api", "neo4j", "redis" })
        {
            Assert.True(services.GetProperty(name).TryGetProperty("healthcheck", out _), $"{name} has no health check");
        }

        var dependsOn = services.GetProperty("api").GetProperty("depends_on");
        Assert.Equal("service_healthy", dependsOn.GetProperty("neo4j").GetProperty("condition").GetString());
        Assert.Equal("service_healthy", dependsOn.GetProperty("redis").GetProperty("condition").GetString());
        var volumes = compose.GetProperty("volumes").EnumerateObject().Select(v => v.Name).ToList();
        Assert.Contains("neo4j-data", volumes);
        Assert.Contains("redis-data", volumes);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "Dockerfile")));
    }

    [ComposeFact]
    public void Credentials_come_from_the_environment_with_a_development_default()
    {
        var byDefault = DockerCompose.ResolvedJson().GetProperty("services");
        var fromEnvironment = DockerCompose.ResolvedJson(new Dictionary<string, string> { ["NEO4J_PASSWORD"] = "from-the-env-123" }).GetProperty("services");

        string Password(JsonElement services) => services.GetProperty("api").GetProperty("environment").GetProperty("Neo4j__Password").GetString()!;
        string Auth(JsonElement services) => services.GetProperty("neo4j").GetProperty("environment").GetProperty("NEO4J_AUTH").GetString()!;
        Assert.False(string.IsNullOrEmpty(Password(byDefault)));
        Assert.Equal("neo4j/" + Password(byDefault), Auth(byDefault));
        Assert.Equal("from-the-env-123", Password(fromEnvironment));
        Assert.Equal("neo4j/from-the-env-123", Auth(fromEnvironment));
    }

    [ComposeFact]
    public void The_api_environment_sets_only_configuration_keys_the_api_reads()
    {
        var environment = DockerCompose.ResolvedJson().GetProperty("services").GetProperty("api").GetProperty("environment")
            .EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.GetString(), StringComparer.OrdinalIgnoreCase);

        var read = Keys(StoreOptions.Section, typeof(StoreOptions))
            .Concat(Keys(Neo4jOptions.Section, typeof(Neo4jOptions)))
            // Redis:Configuration is the connection string of the Redis cache the API's caching reads.
            .Append("Redis:Configuration")
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = environment.Keys.Where(k => !read.Contains(k) && !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList();

        Assert.True(unknown.Count == 0, $"Keys the API does not read: {string.Join(", ", unknown)}");
        Assert.Equal(StoreOptions.Neo4j, environment["Store:Provider"]);
        Assert.Equal("http://neo4j:7474", environment["Neo4j:Uri"]);
        Assert.Equal("redis:6379", environment["Redis:Configuration"]);
        Assert.Contains("Neo4j:Password", environment.Keys);
    }

    // No engine runs here, so the image is never built by a test: this checks what the Api project's build needs of
    // the build stage, which the .NET SDK image lacks: Node at least as new as the npm packages' engines ask (the IDE's
    // and the explorer's, whose `npm ci` runs during `dotnet publish`), there before the publish.
    [Fact]
    public void The_dockerfile_build_stage_brings_node_and_npm_before_the_api_is_published()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        var nodeImage = lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^FROM node:(\d+)[-.\w]* AS (\w+)$")).Single(m => m.Success);
        var stage = nodeImage.Groups[2].Value;
        int Line(string start) => Array.FindIndex(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        var build = Line("FROM mcr.microsoft.com/dotnet/sdk:");
        var publish = Line("RUN dotnet publish");

        var wanted = new[] { "src/KnowledgeGraph.Api/Explorer/package.json", "src/KnowledgeGraph.Api/Ide/package.json" }
            .Select(f => JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, f))).RootElement)
            .Select(p => p.TryGetProperty("engines", out var engines) ? int.Parse(engines.GetProperty("node").GetString()!.TrimStart('>', '='), System.Globalization.CultureInfo.InvariantCulture) : 0)
            .Max();
        Assert.True(int.Parse(nodeImage.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= wanted, $"node:{nodeImage.Groups[1].Value} is older than the Node {wanted} the packages want");
        Assert.InRange(Line($"COPY --from={stage} /usr/local/bin/node "), build + 1, publish - 1);
        Assert.InRange(Line($"COPY --from={stage} /usr/local/lib/node_modules/npm "), build + 1, publish - 1);
        Assert.InRange(Line("RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm"), build + 1, publish - 1);
    }

    // A section's keys are its settable public properties, as the configuration binder sees them.
    private static IEnumerable<string> Keys(string section, Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{section}:{p.Name}");
}
