using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.LoadBenchmarks;

/// <summary>A child process serving HTTP on a loopback port, with its peak resident memory.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public int Pid => _process.Id;

    /// <summary>The CPU time the server has used so far, user and system, all threads (/proc/&lt;pid&gt;/stat).</summary>
    public TimeSpan CpuTime => ProcessCpu.Of(_process.Id);

    /// <summary>The peak resident set size so far (VmHWM), in MiB.</summary>
    public double PeakRssMiB
    {
        get
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return kib / 1024.0;
                }
            }

            return double.NaN;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The API's Release build, on 127.0.0.1, with its own SQLite file seeded at start; run on the CPUs
    /// <paramref name="cpus"/> (a taskset list such as "0") when given.
    /// </summary>
    /// <summary>Starts the API's Release build, or the one in <paramref name="build"/> (a folder holding KnowledgeGraph.Api.dll).</summary>
    public static Task<ServerProcess> StartApiAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings, string? cpus = null, string? build = null)
    {
        var api = Path.GetFullPath(Path.Combine(build ?? Path.Combine(RepositoryPaths.Root, "src", "KnowledgeGraph.Api", "bin", "Release", "net10.0"), "KnowledgeGraph.Api.dll"));
        if (!File.Exists(api))
        {
            throw new InvalidOperationException($"{api} is missing: build with -c Release first (dotnet run -c Release does).");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(api)! };
        start.ArgumentList.Add(api);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Sqlite__DataDirectory"] = dataDirectory;
        // Console logging of every request would measure the console; warnings and errors still show.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The load comes from one address at tens of thousands of requests a minute: the per-client rate limit would
        // measure refusals. Every other limit stays on.
        start.Environment["Limits__RateLimit__Enabled"] = "false";
        // Likewise the admission of expensive operations: 32 connections from one client would have all but two of
        // their searches and paths refused (429); the peer has no such bound.
        start.Environment["Limits__Admission__Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return StartAsync(Pinned(start, cpus), port, "health/ready");
    }

    /// <summary>This program again, as the bare Kestrel ceiling serving recorded bodies.</summary>
    public static Task<ServerProcess> StartCeilingAsync(string recordedDirectory, string? cpus = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        start.ArgumentList.Add("--serve-ceiling");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(recordedDirectory);
        return StartAsync(Pinned(start, cpus), port, "ready");
    }

    /// <summary>A Node.js script given <c>--port</c> and the other arguments, answering GET /ready once it serves.</summary>
    public static Task<ServerProcess> StartNodeAsync(string script, IEnumerable<string> arguments, string? cpus = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(script)! };
        start.Environment["NODE_ENV"] = "production";
        start.ArgumentList.Add(script);
        foreach (var argument in arguments.Concat(["--port", port.ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(argument);
        }

        return StartAsync(Pinned(start, cpus), port, "ready");
    }

    // taskset execs the command, so the process started is the server itself: its pid is the one to account.
    private static ProcessStartInfo Pinned(ProcessStartInfo start, string? cpus)
    {
        if (cpus is null)
        {
            return start;
        }

        var pinned = new ProcessStartInfo("taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = start.WorkingDirectory };
        foreach (var argument in new[] { "-c", cpus, start.FileName }.Concat(start.ArgumentList))
        {
            pinned.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in start.Environment)
        {
            pinned.Environment[key] = value;
        }

        return pinned;
    }

    private static async Task<ServerProcess> StartAsync(ProcessStartInfo start, int port, string readyPath)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [server] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port);
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} before answering.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(readyPath, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"The server did not answer {readyPath} within 60 s.");
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
}

/// <summary>A redis-server on a free loopback port, without persistence.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<RedisProcess> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new RedisProcess(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("redis-server did not listen within 5 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>CPU time of a process from the kernel's own accounting.</summary>
internal static class ProcessCpu
{
    private static readonly Lazy<long> TicksPerSecond = new(ReadClockTicks);

    /// <summary>utime + stime of the process (every thread), from /proc/&lt;pid&gt;/stat.</summary>
    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / TicksPerSecond.Value);
    }

    private static long ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("getconf did not start.");
        var text = getconf.StandardOutput.ReadToEnd().Trim();
        getconf.WaitForExit();
        return long.Parse(text, CultureInfo.InvariantCulture);
    }
}
