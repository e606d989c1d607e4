using System.Net;
using System.Net.WebSockets;

namespace MarketFeed.Feeds;

/// <summary>The doctor's connectivity check every streaming venue shares: open the stream once, close it, say what happened.</summary>
public static class StreamConnectivityCheck
{
    /// <param name="uri">Builds the stream URL (credentials included); a <see cref="FeedConfigurationException"/> is reported as a failure.</param>
    /// <param name="stream">What the stream is called for a person, with its URL and no secret (e.g. "ticker stream at wss://…").</param>
    /// <param name="accepted">What success means (e.g. "accepted the credentials").</param>
    /// <param name="hint">The venue's explanation of an HTTP status on the upgrade, or "" when it has none.</param>
    /// <param name="cancellationToken">Ends the check early.</param>
    public static async Task<DoctorCheck> RunAsync(Func<Uri> uri, string stream, string accepted, Func<HttpStatusCode, string> hint, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(uri(), timeout.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "doctor", CancellationToken.None).ConfigureAwait(false);
            return DoctorCheck.Pass("connectivity", $"{stream} {accepted}");
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or FeedConfigurationException)
        {
            string status = socket.HttpStatusCode is 0 ? "" : $" (HTTP {(int)socket.HttpStatusCode})";
            string why = socket.HttpStatusCode is 0 ? "" : hint(socket.HttpStatusCode);
            return DoctorCheck.Fail("connectivity", $"cannot open the {stream}{status}{(why.Length > 0 ? ": " + why : "")}");
        }
    }
}
