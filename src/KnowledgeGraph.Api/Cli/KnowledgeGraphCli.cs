using System.CommandLine;
using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.Api.Cli;

/// <summary>
/// The service's command line, for operators: <c>keys create|list|revoke</c>, <c>import</c>, <c>export</c>. It reads the same configuration as the
/// server (appsettings.json, environment variables such as <c>Sqlite__DataDirectory</c>) and talks to the same store.
/// </summary>
public static partial class KnowledgeGraphCli
{
    private static readonly string[] Commands = ["keys", "import", "export"];

    /// <summary>Whether the arguments ask for a command rather than the server.</summary>
    public static bool Handles(string[] args) => args is { Length: > 0 } && Commands.Contains(args[0], StringComparer.Ordinal);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error, null);

    /// <summary>As <see cref="RunAsync(string[], TextWriter, TextWriter)"/>, with settings that win over the configuration (tests).</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings)
    {
        var root = new RootCommand("KnowledgeGraph operator commands.") { KeysCommand(output, error, settings), ImportCommand(output, error, settings), ExportCommand(output, error, settings) };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static Command KeysCommand(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings)
    {
        var name = new Option<string>("--name") { Description = "Who the key is for, such as a partner's name.", Required = true };
        var role = new Option<ApiRole>("--role") { Description = "reader, partner or admin.", DefaultValueFactory = _ => ApiRole.Reader };
        var create = new Command("create", "Creates a key and prints it once; only its hash is kept.") { name, role };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = BuildServices(settings);
            var (record, secret) = await ApiKeySecrets.IssueAsync(services.GetRequiredService<IApiKeyStore>(), parse.GetRequiredValue(name), parse.GetValue(role), cancellationToken);
            await output.WriteLineAsync($"Created {record.Role.ToString().ToLowerInvariant()} key {record.Id} for '{record.Name}'. Keep it now; it is not shown again:");
            await output.WriteLineAsync(secret);
            return 0;
        });

        var list = new Command("list", "Lists keys (ids, names, roles; never the keys).");
        list.SetAction(async (_, cancellationToken) =>
        {
            await using var services = BuildServices(settings);
            foreach (var key in await services.GetRequiredService<IApiKeyStore>().ListAsync(cancellationToken))
            {
                var state = key.IsActive ? "active" : $"revoked {key.RevokedAt:O}";
                await output.WriteLineAsync($"{key.Id}\t{key.Role.ToString().ToLowerInvariant()}\t{key.Name}\t{state}");
            }

            return 0;
        });

        var id = new Argument<string>("id") { Description = "The key's id, as `keys list` shows it." };
        var revoke = new Command("revoke", "Revokes a key; it stops working within 30 seconds.") { id };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = BuildServices(settings);
            var keyId = parse.GetRequiredValue(id);
            if (await services.GetRequiredService<IApiKeyStore>().RevokeAsync(keyId, DateTimeOffset.UtcNow, cancellationToken))
            {
                await output.WriteLineAsync($"Revoked {keyId}.");
                return 0;
            }

            await error.WriteLineAsync($"No active key has the id '{keyId}'.");
            return 1;
        });

        return new Command("keys", "Manages API keys.") { create, list, revoke };
    }

    private static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection, IConfiguration>? more = null)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGraphStore(configuration);
        more?.Invoke(services, configuration);
        return services.BuildServiceProvider();
    }
}
