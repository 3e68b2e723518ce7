using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace KnowledgeGraph.Api.Hosting;

/// <summary>
/// Says, in one line and before anything is started, that the address the service should listen on is taken, rather
/// than letting Kestrel fail with a stack trace.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The one line for an address another process holds, naming the setting that chooses another.</summary>
    public static string InUseMessage(string address) =>
        $"error: {address} is already in use by another process; choose another address with KG_URLS " +
        $"(KG_URLS=http://127.0.0.1:5001 ./build.sh run) or --urls.";

    /// <summary>
    /// The first configured address (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) whose port another process listens on, or
    /// null. Binding and releasing a socket is what Kestrel will do next, so a port freed in between is only lucky.
    /// A server that listens on no addresses (the tests' in-memory one) has none to check.
    /// </summary>
    public static string? FindInUse(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>() is null)
        {
            return null;
        }

        var urls = app.Configuration["urls"] ?? "http://localhost:5000";
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Endpoint(url) is { } endpoint && !CanBind(endpoint))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>Whether an exception from starting the host is Kestrel finding its address taken.</summary>
    public static bool IsAddressInUse(Exception exception) =>
        exception is AddressInUseException || (exception.InnerException is { } inner && IsAddressInUse(inner));

    private static IPEndPoint? Endpoint(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null; // Kestrel says what is wrong with it.
        }

        if (address.Port == 0 || address.IsUnixPipe)
        {
            return null;
        }

        var host = address.Host.Trim('[', ']');
        var ip = host switch
        {
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host, out var parsed) => parsed,
            _ => IPAddress.Any, // "*", "+" or a host name: Kestrel listens on every address.
        };
        return new IPEndPoint(ip, address.Port);
    }

    private static bool CanBind(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException failure) when (failure.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // Not ours to judge (an address this machine lacks, say): Kestrel reports it.
        }
    }
}
