using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// One WebSocket of a <see cref="FeedSession"/>: connects, replays its share of the desired set, reads frames with an
/// idle watchdog (heartbeats count as life), sends subscription changes, and on any failure reconnects with backoff.
/// A connection is <em>up</em> when frames flow, not when the handshake completes: a socket that opens and stays mute
/// never counts as connected. Nothing a venue sends can end this loop: a frame that cannot be read, or whose
/// handling throws, is counted and skipped; any other failure ends one attempt, never the connection's task.
/// An HTTP 401/403 on the upgrade is an authentication failure: reported, then retried slowly with re-read credentials.
/// </summary>
internal sealed class StreamConnection(FeedSession session, int index)
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _open;
    private volatile bool _flowing;

    public int Index => index;

    /// <summary>The socket is open, so control messages can be sent (data may not flow yet).</summary>
    public bool IsOpen => _open;

    /// <summary>A frame arrived on the current socket and the watchdog has not fired since: the connection is up.</summary>
    public bool IsFlowing => _flowing;

    /// <summary>Queues a text message; sent in order while open (dropped when not: the next connect replays the desired set).</summary>
    public void Send(string message)
    {
        if (_open)
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
            long started = session.Time.GetTimestamp();
            var attempt = new Attempt();
            TimeSpan delay;
            string reason;
            bool authFailed = false;
            try
            {
                reason = await ConnectAndServeAsync(attempt, cancellationToken).ConfigureAwait(false);
                if (attempt.FlowedFor >= options.IdleTimeout)
                {
                    // The connection worked for a while: the next failure retries at once again. One that delivered a
                    // frame and then died quickly does not reset it, so a venue that accepts then closes is no storm.
                    backoff.Reset();
                }

                delay = backoff.Next();
            }
            catch (Exception e) when (e is AuthenticationRejectedException or FeedConfigurationException)
            {
                reason = e.Message;
                delay = options.AuthRetryDelay;
                authFailed = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug or an unexpected failure (in the protocol's URL or subscribe step, say): this attempt is over,
                // the connection is not. Reported like any drop and retried with backoff.
                reason = $"connection attempt failed: {e.GetType().Name}: {e.Message}";
                session.ReportHandlerError("connection attempt", e);
                delay = backoff.Next();
            }
            finally
            {
                _open = false;
                _flowing = false;
            }

            if (authFailed)
            {
                session.ReportAuthFailed(index, reason, attempt.LastFrameUtc);
                session.Logger.AuthFailed(session.Name, FeedHealth.Sanitize(reason)!, delay);
            }
            else
            {
                delay = session.RetryDelay(delay, session.Time.GetElapsedTime(started));
                session.ReportDisconnected(index, reason, attempt.LastFrameUtc, delay);
            }

            await session.WaitBeforeRetryAsync(delay, wakeOnNewCredentials: authFailed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One connection's life. Returns why it ended (the socket closed, went silent, failed).</summary>
    private async Task<string> ConnectAndServeAsync(Attempt attempt, CancellationToken cancellationToken)
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

        _open = true;
        IReadOnlyList<DesiredSubscription> share = session.ShareOf(index);
        foreach (string message in session.SubscribeMessages(share))
        {
            _outgoing.Writer.TryWrite(message);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sender = SendLoopAsync(socket, stop.Token);
        try
        {
            return await ReceiveLoopAsync(socket, attempt, share.Count, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _open = false;
            _flowing = false;
            await stop.CancelAsync().ConfigureAwait(false);
            await sender.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        await foreach (string message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReceiveLoopAsync(ClientWebSocket socket, Attempt attempt, int instruments, CancellationToken cancellationToken)
    {
        int maxFrame = session.Options.MaxFrameBytes;
        byte[] buffer = new byte[Math.Min(InitialBufferBytes, maxFrame)];
        var ticks = new List<Tick>(256);
        TimeSpan idle = session.Options.IdleTimeout;
        long flowingSince = 0;

        // One watchdog for the connection, re-armed on every frame: silence longer than the idle timeout ends it.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                int length = 0;
                long frameBytes = 0;
                ValueWebSocketReceiveResult result;
                watchdog.CancelAfter(idle);
                try
                {
                    do
                    {
                        if (length == buffer.Length && frameBytes < maxFrame)
                        {
                            // Grow by doubling up to the limit (computed in 64 bits: no overflow whatever the limit).
                            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxFrame));
                        }

                        // Past the limit the rest of the frame is read into the same buffer and thrown away.
                        int offset = frameBytes >= maxFrame || length == buffer.Length ? 0 : length;
                        result = await socket.ReceiveAsync(buffer.AsMemory(offset), watchdog.Token).ConfigureAwait(false);
                        frameBytes += result.Count;
                        length = frameBytes > maxFrame ? buffer.Length : offset + result.Count;
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

                DateTime received = session.Time.GetUtcNow().UtcDateTime;
                attempt.LastFrameUtc = received;
                if (!_flowing)
                {
                    _flowing = true;
                    flowingSince = session.Time.GetTimestamp();
                    session.ReportFlowing(index, instruments);
                }

                session.Health.CountMessages();
                if (frameBytes > maxFrame)
                {
                    session.ReportOversizedFrame(frameBytes);
                    continue;
                }

                ticks.Clear();
                if (!Decode(result.MessageType, buffer.AsSpan(0, length), received, ticks))
                {
                    ticks.Clear();
                    continue;
                }

                foreach (Tick tick in ticks)
                {
                    await session.Context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            attempt.FlowedFor = flowingSince == 0 ? TimeSpan.Zero : session.Time.GetElapsedTime(flowingSince);
        }
    }

    /// <summary>
    /// Hands one frame to the venue protocol. Whatever happens inside stays with this frame: a frame the protocol
    /// could not read is counted malformed (its readable part is still published), an exception is counted and the
    /// frame's ticks are discarded (false), and the connection reads on.
    /// </summary>
    private bool Decode(WebSocketMessageType type, ReadOnlySpan<byte> frame, DateTime received, List<Tick> ticks)
    {
        try
        {
            if (type == WebSocketMessageType.Text)
            {
                if (!session.Protocol.HandleText(Encoding.UTF8.GetString(frame)))
                {
                    session.ReportMalformed("unreadable text frame");
                }

                return false;
            }

            if (!session.Protocol.DecodeBinary(frame, received, ticks))
            {
                session.ReportMalformed("malformed binary frame");
            }

            return true;
        }
        catch (Exception e)
        {
            session.ReportHandlerError(type == WebSocketMessageType.Text ? "text frame" : "binary frame", e);
            return false;
        }
    }

    /// <summary>What one connection attempt observed, for the retry decision.</summary>
    private sealed class Attempt
    {
        public DateTime? LastFrameUtc { get; set; }

        public TimeSpan FlowedFor { get; set; }
    }
}
