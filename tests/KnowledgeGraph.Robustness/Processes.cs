using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.Robustness;

/// <summary>The API's Release build as a child process on 127.0.0.1, under a descriptor limit of 1,024.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The API's process id (bash execs into dotnet, so it is the runtime's own).</summary>
    public int Id => _process.Id;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public bool IsAlive => !_process.HasExited;

    public static string ApiDll => Path.Combine(RepositoryPaths.Root, "src", "KnowledgeGraph.Api", "bin", "Release", "net10.0", "KnowledgeGraph.Api.dll");

    /// <summary>The resident set size now (VmRSS), in MiB.</summary>
    public double RssMiB => Status("VmRSS:");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<ApiProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        if (!File.Exists(ApiDll))
        {
            throw new InvalidOperationException($"{ApiDll} is missing: build with -c Release first (dotnet run -c Release does).");
        }

        var port = FreePort();
        // The descriptor limit of a default Linux session, as in the report this run answers.
        var start = Start("bash", dataDirectory, settings);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n 1024 && exec dotnet \"{ApiDll}\" --urls http://127.0.0.1:{port}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The API did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [api:{port}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, port);
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {process.ExitCode} before answering.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await api.DisposeAsync();
        throw new InvalidOperationException("The API did not answer /health/ready within 180 s.");
    }

    /// <summary>Runs the API's command line (<c>keys create</c>...) against a data folder and returns its last line.</summary>
    public static async Task<string> CliAsync(string dataDirectory, params string[] arguments)
    {
        var start = Start("dotnet", dataDirectory, new Dictionary<string, string>());
        start.ArgumentList.Add(ApiDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The CLI did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? output.Trim().Split('\n')[^1].Trim()
            : throw new InvalidOperationException($"The CLI failed: {output}{await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Start(string file, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ApiDll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Sqlite__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private double Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }
}

/// <summary>A redis-server of the run's own on a loopback port, with an append-only file so that a kill keeps its data.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kg-robust-redis-").FullName;
    private Process? _process;

    public int Port { get; } = ApiProcess.FreePort();

    public async Task StartAsync(bool keepData)
    {
        if (!keepData)
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(_directory))
            {
                if (Directory.Exists(file))
                {
                    Directory.Delete(file, recursive: true);
                }
                else
                {
                    File.Delete(file);
                }
            }
        }

        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                if (await stream.ReadAsync(buffer) > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                // Not yet.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("redis-server did not answer within 10 s.");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
