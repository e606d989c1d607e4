using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

/// <summary>
/// One WebSocket of a <see cref="FeedSession"/>: connects, replays its share of the desired set, reads frames with an
/// idle watchdog (heartbeats count as life), sends subscription changes, and on any failure reconnects with backoff.
/// An HTTP 401/403 on the upgrade is an authentication failure: reported, then retried slowly with re-read credentials.
/// </summary>
internal sealed class StreamConnection(FeedSession session, int index)
{
    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public int Index => index;

    public bool IsConnected { get; private set; }

    /// <summary>Queues a text message; sent in order while connected (dropped when not: the next connect replays the desired set).</summary>
    public void Send(string message)
    {
        if (IsConnected)
        {
            _outgoing.Writer.TryWrite(message);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        FeedSessionOptions options = session.Options;
        var backoff = new ReconnectBackoff(options.ReconnectBaseDelay, options.ReconnectMaxDelay);
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            string reason;
            try
            {
                reason = await ConnectAndServeAsync(backoff, cancellationToken);
                delay = backoff.Next();
            }
            catch (AuthenticationRejectedException e)
            {
                reason = e.Message;
                delay = options.AuthRetryDelay;
                session.ReportAuthFailed(index, reason);
                session.Logger.AuthFailed(session.Name, reason, delay);
            }
            catch (FeedConfigurationException e)
            {
                reason = e.Message;
                delay = options.AuthRetryDelay;
                session.ReportAuthFailed(index, reason);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            IsConnected = false;
            session.ReportDisconnected(index, reason);
            session.Logger.Dropped(session.Name, index, reason, delay);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, session.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One connection's life. Returns why it ended (the socket closed, went silent, failed).</summary>
    private async Task<string> ConnectAndServeAsync(ReconnectBackoff backoff, CancellationToken cancellationToken)
    {
        Uri uri = session.Protocol.BuildStreamUri();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(session.Options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(uri, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (socket.HttpStatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                throw new AuthenticationRejectedException($"the venue rejected the credentials (HTTP {(int)socket.HttpStatusCode} on connect): check the access token", e);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return socket.HttpStatusCode != 0 ? $"connect failed: HTTP {(int)socket.HttpStatusCode}" : "connect failed: " + e.Message;
            }
        }

        while (_outgoing.Reader.TryRead(out _))
        {
            // Anything queued for the previous socket is superseded by the replay below.
        }

        IsConnected = true;
        IReadOnlyList<DesiredSubscription> share = session.ShareOf(index);
        session.ReportConnected(index, share.Count);
        foreach (string message in session.SubscribeMessages(share))
        {
            _outgoing.Writer.TryWrite(message);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sender = SendLoopAsync(socket, stop.Token);
        string reason = await ReceiveLoopAsync(socket, backoff, stop.Token).ConfigureAwait(false);
        IsConnected = false;
        await stop.CancelAsync().ConfigureAwait(false);
        await sender.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        return reason;
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        await foreach (string message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReceiveLoopAsync(ClientWebSocket socket, ReconnectBackoff backoff, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        var ticks = new List<Tick>(256);
        TimeSpan idle = session.Options.IdleTimeout;

        // One watchdog for the connection, re-armed on every frame: silence longer than the idle timeout ends it.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool everReceived = false;
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            watchdog.CancelAfter(idle);
            try
            {
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), watchdog.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"no frame for {idle.TotalSeconds:0.#} s (silent connection)";
            }
            catch (WebSocketException e)
            {
                return "connection failed: " + e.Message;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return $"closed by the venue ({socket.CloseStatus} {socket.CloseStatusDescription})".TrimEnd();
            }

            if (!everReceived)
            {
                // Data flows: this connection worked, so the next failure retries at once again.
                everReceived = true;
                backoff.Reset();
            }

            DateTime received = session.Time.GetUtcNow().UtcDateTime;
            session.Health.CountMessages();
            if (result.MessageType == WebSocketMessageType.Text)
            {
                if (!session.Protocol.HandleText(Encoding.UTF8.GetString(buffer, 0, length)))
                {
                    session.CountMalformed();
                }

                continue;
            }

            ticks.Clear();
            if (!session.Protocol.DecodeBinary(buffer.AsSpan(0, length), received, ticks))
            {
                session.CountMalformed();
            }

            foreach (Tick tick in ticks)
            {
                await session.Context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
