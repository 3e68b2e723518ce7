namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// The <c>graphql-transport-ws</c> protocol (the <c>graphql-ws</c> library's): its sub-protocol name, message types
/// and the close codes it gives meaning to.
/// </summary>
public static class GraphQLWsProtocol
{
    public const string SubProtocol = "graphql-transport-ws";

    public const string ConnectionInit = "connection_init";
    public const string ConnectionAck = "connection_ack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Subscribe = "subscribe";
    public const string Next = "next";
    public const string Error = "error";
    public const string Complete = "complete";

    /// <summary>A message of an unknown type or shape.</summary>
    public const int BadRequest = 4400;

    /// <summary>An operation before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;

    /// <summary>The connection is refused: a key that is not valid (or was revoked), or none where one is needed.</summary>
    public const int Forbidden = 4403;

    /// <summary>The client did not offer <see cref="SubProtocol"/>.</summary>
    public const int SubprotocolNotAcceptable = 4406;

    /// <summary>No <c>connection_init</c> within <c>Live:ConnectionInitTimeout</c>.</summary>
    public const int ConnectionInitTimeout = 4408;

    /// <summary>A <c>subscribe</c> with the id of an operation still running.</summary>
    public const int SubscriberAlreadyExists = 4409;

    /// <summary>A second <c>connection_init</c>.</summary>
    public const int TooManyInitialisationRequests = 4429;
}
