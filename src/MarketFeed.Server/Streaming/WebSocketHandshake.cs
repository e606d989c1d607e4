using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// The RFC 6455 server handshake, done here rather than by the WebSockets middleware so the socket can sit on a
/// <see cref="BatchingStream"/>: a writer pass of many frames becomes one write to the connection.
/// </summary>
internal static class WebSocketHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, BatchingStream Stream)> AcceptAsync(HttpContext context, TimeSpan keepAlive)
    {
        IHttpUpgradeFeature upgrade = context.Features.Get<IHttpUpgradeFeature>()
            ?? throw new InvalidOperationException("this connection cannot be upgraded");
        string key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        Stream opaque = await upgrade.UpgradeAsync();
        var batching = new BatchingStream(opaque);
        WebSocket socket = WebSocket.CreateFromStream(batching, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAlive });
        return (socket, batching);
    }

    /// <summary>A valid upgrade request: GET, Upgrade: websocket, version 13 and a key.</summary>
    public static bool IsUpgradeRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        && string.Equals(context.Request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase)
        && context.Request.Headers["Sec-WebSocket-Version"].ToString() == "13"
        && !string.IsNullOrEmpty(context.Request.Headers["Sec-WebSocket-Key"].ToString());
}
