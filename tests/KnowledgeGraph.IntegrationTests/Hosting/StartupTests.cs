using System.Diagnostics;
using System.Text.Json.Nodes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Hosting;

/// <summary>The real executable starting up: a bad seed stops it with one clear message and writes nothing.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-startup");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_bad_seed_stops_start_up_with_one_message_naming_file_entry_and_problem_and_the_store_is_untouched()
    {
        var data = Path.Combine(_directory.Path, "data");
        using (var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = data }))
        {
            await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        }

        var badSeed = _directory.CopyFrom(RepositoryPaths.Seed, "seed");
        var entities = Path.Combine(badSeed, SeedLoader.EntitiesFile);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(entities))!.AsArray();
        json.First(e => (string?)e!["key"] == "tesla")!["kind"] = "CORPORATION";
        json.First(e => (string?)e!["key"] == "signal")!["name"]!["en"] = "Renamed";
        await File.WriteAllTextAsync(entities, json.ToJsonString());

        var (exitCode, output) = await RunApiAsync(("Store__SeedDirectory", badSeed), ("Sqlite__DataDirectory", data));

        Assert.Equal(1, exitCode);
        Assert.Contains("entities.json, entry 'tesla' (#", output, StringComparison.Ordinal);
        Assert.Contains("kind: unknown value 'CORPORATION'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        using var after = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = data });
        var signal = (await after.GetEntitiesAsync([new EntityKey("signal")], CancellationToken.None))[new EntityKey("signal")];
        Assert.Equal("Signal", signal.Name.En);
    }

    [Fact]
    public async Task A_taken_port_stops_start_up_with_one_line_naming_the_address_and_KG_URLS()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)holder.LocalEndpoint).Port}";

        var (exitCode, output) = await RunApiAsync(address, ("Sqlite__DataDirectory", Path.Combine(_directory.Path, "data")));

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: {address} is already in use by another process; choose another address with KG_URLS " +
            "(KG_URLS=http://127.0.0.1:5001 ./build.sh run) or --urls.", output.Trim());
    }

    private static Task<(int ExitCode, string Output)> RunApiAsync(params (string Name, string Value)[] environment) =>
        RunApiAsync("http://127.0.0.1:0", environment);

    private static async Task<(int ExitCode, string Output)> RunApiAsync(string urls, params (string Name, string Value)[] environment)
    {
        var api = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(api)!,
        };
        start.ArgumentList.Add(api);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(urls);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
