using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Taps;

namespace MarketFeed.Feeds;

/// <summary>
/// One WebSocket of a <see cref="FeedSession"/>: prepares (the protocol's async step), connects, replays its share of
/// the desired set, reads frames with an idle watchdog (heartbeats count as life), sends control messages within the
/// venue's rate, and on any failure reconnects with backoff. A connection is <em>up</em> when frames flow, not when
/// the handshake completes. Nothing a venue sends can end this loop: a frame that cannot be read, or whose handling
/// throws, is counted and skipped; a venue's own word (disconnect with a code, auth failed, rate limited, shutting
/// down) is a typed <see cref="FrameOutcome"/> handled here the same way for every venue. A shutdown notice, or the
/// venue's connection age limit, opens the replacement first and closes this socket once the new one delivers.
/// </summary>
internal sealed partial class StreamConnection(FeedSession session, int index)
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly Channel<ControlMessage> _outgoing = Channel.CreateUnbounded<ControlMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StreamEvents _events = new();
    private volatile bool _open;
    private volatile bool _flowing;
    private volatile bool _handingOver;
    private volatile bool _changedDuringHandover;
    private long _lastFrameTimestamp;

    public int Index => index;

    /// <summary>The socket is open, so control messages can be sent (data may not flow yet).</summary>
    public bool IsOpen => _open;

    /// <summary>A frame arrived on the current socket and the watchdog has not fired since: the connection is up.</summary>
    public bool IsFlowing => _flowing;

    /// <summary>
    /// Queues a control message; sent in order while open (dropped when not: the next connect replays the desired
    /// set). Called under the session lock, like <see cref="OpenWith"/>, so a change is never lost between the two.
    /// </summary>
    public void Send(ControlMessage message)
    {
        // A change while a replacement is being opened (before or after this socket closed) makes its share stale.
        _changedDuringHandover |= _handingOver;
        if (_open)
        {
            _outgoing.Writer.TryWrite(message);
        }
    }

    /// <summary>
    /// Called by the session under its lock: drops what was queued for the previous socket, queues the subscriptions
    /// of <paramref name="share"/> (for an adopted successor only if the set changed while it was being opened, since it
    /// subscribed its share itself), and opens to changes.
    /// </summary>
    internal void OpenWith(IReadOnlyList<DesiredSubscription> share, bool adopted)
    {
        Drain();
        if (!adopted || _changedDuringHandover)
        {
            foreach (ControlMessage message in session.SubscribeMessages(share))
            {
                _outgoing.Writer.TryWrite(message);
            }
        }

        if (!adopted && share.Count == 0 && session.Protocol.IdleProbe() is { } probe)
        {
            // Nothing to subscribe, so nothing would answer: the probe's reply is the first frame.
            _outgoing.Writer.TryWrite(probe);
        }

        _handingOver = false;
        _changedDuringHandover = false;
        Volatile.Write(ref _lastFrameTimestamp, session.Time.GetTimestamp());
        _open = true;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        FeedSessionOptions options = session.Options;
        var backoff = new ReconnectBackoff(options.ReconnectBaseDelay, options.ReconnectMaxDelay);
        Successor? adopted = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            long started = session.Time.GetTimestamp();
            CancellationToken credentials = session.CredentialsChanged;
            var attempt = new Attempt();
            TimeSpan delay;
            string reason;
            bool authFailed = false;
            try
            {
                AttemptEnd end = await ConnectAndServeAsync(attempt, adopted, cancellationToken).ConfigureAwait(false);
                adopted = end.Successor;
                TapDisconnected(attempt, end.Reason);
                if (adopted is not null)
                {
                    // Make before break: the new socket already delivers; the old one is gone. No drop, no delay.
                    session.ReportHandover(index, end.Reason);
                    continue;
                }

                reason = end.Reason;
                authFailed = end.AuthFailed;
                if (attempt.FlowedFor >= options.IdleTimeout)
                {
                    // The connection worked for a while: the next failure retries at once again. One that delivered a
                    // frame and then died quickly does not reset it, so a venue that accepts then closes is no storm.
                    backoff.Reset();
                }

                delay = authFailed ? options.AuthRetryDelay : end.RetryAfter ?? backoff.Next();
            }
            catch (Exception e) when (e is AuthenticationRejectedException or FeedConfigurationException)
            {
                reason = e.Message;
                TapDisconnected(attempt, reason);
                delay = options.AuthRetryDelay;
                authFailed = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                TapDisconnected(attempt, "the feed stopped");
                return;
            }
            catch (Exception e)
            {
                // A bug or an unexpected failure (in the protocol's prepare or subscribe step, say): this attempt is
                // over, the connection is not. Reported like any drop and retried with backoff.
                reason = $"connection attempt failed: {e.GetType().Name}: {e.Message}";
                TapDisconnected(attempt, reason);
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

            await session.WaitBeforeRetryAsync(delay, authFailed ? credentials : CancellationToken.None, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One socket's life, from connect (or adoption after a handover) to why it ended.</summary>
    private async Task<AttemptEnd> ConnectAndServeAsync(Attempt attempt, Successor? adopted, CancellationToken cancellationToken)
    {
        ClientWebSocket? socket = adopted?.Socket;
        if (socket is null)
        {
            (socket, string? failure) = await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (socket is null)
            {
                return new AttemptEnd(failure!);
            }
        }

        attempt.Opened = true;

        using (socket)
        {
            int instruments = session.Open(this, adopted is not null);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task sender = SendLoopAsync(socket, stop.Token);
            Task prober = ProbeLoopAsync(stop.Token);
            try
            {
                return await ReceiveLoopAsync(socket, attempt, instruments, adopted, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                _open = false;
                _flowing = false;
                await stop.CancelAsync().ConfigureAwait(false);
                await sender.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                await prober.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Prepares and opens a socket. Returns it, or null with the reason the attempt failed.</summary>
    private async Task<(ClientWebSocket? Socket, string? Failure)> OpenAsync(CancellationToken cancellationToken)
    {
        StreamEndpoint endpoint;
        try
        {
            endpoint = await session.Protocol.PrepareAsync(index, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A venue's REST step before connecting (an authorize call) failed or timed out: a failed attempt, not a bug.
            return (null, $"preparing the connection failed: {e.Message}");
        }

        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach ((string name, string value) in endpoint.Headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(session.Options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint.Uri, connectTimeout.Token).ConfigureAwait(false);
            session.Context.RawFrames?.OnConnected(
                session.Name, index, endpoint.Uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped), session.Time.GetUtcNow().UtcDateTime);
            return (socket, null);
        }
        catch (WebSocketException e) when (socket.HttpStatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            socket.Dispose();
            throw new AuthenticationRejectedException($"the venue rejected the credentials (HTTP {(int)socket.HttpStatusCode} on connect): check the access token", e);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            HttpStatusCode status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status != 0 ? $"connect failed: HTTP {(int)status}" : "connect failed: " + e.Message);
        }
    }

    private void Drain()
    {
        while (_outgoing.Reader.TryRead(out _))
        {
            // Anything queued for the previous socket is superseded by the replay.
        }
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        double rate = session.Protocol.Limits.ControlMessagesPerSecond;
        RateGate? pace = double.IsFinite(rate) && rate > 0 ? new RateGate(rate, session.Time) : null;
        await foreach (ControlMessage message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (pace is not null)
            {
                await pace.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            session.Context.RawFrames?.OnFrame(session.Name, index, RawFrameDirection.Out, message.IsText, message.Payload.Span, session.Time.GetUtcNow().UtcDateTime);
            await socket.SendAsync(message.Payload, message.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// For venues with an <see cref="IStreamProtocol.IdleProbe"/>: whenever no frame has come for a third of the idle
    /// timeout, queues a probe (paced like any control message). Two unanswered probes later the watchdog fires as usual.
    /// </summary>
    private async Task ProbeLoopAsync(CancellationToken cancellationToken)
    {
        TimeSpan quiet = session.Options.IdleTimeout / 3;
        while (true)
        {
            TimeSpan silent = session.Time.GetElapsedTime(Volatile.Read(ref _lastFrameTimestamp));
            if (silent >= quiet)
            {
                if (session.Protocol.IdleProbe() is not { } probe)
                {
                    return;
                }

                _outgoing.Writer.TryWrite(probe);
                silent = TimeSpan.Zero;
            }

            await Task.Delay(quiet - silent, session.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands one frame to the venue protocol and publishes what it decoded. Whatever happens inside stays with this
    /// frame: an unreadable frame is counted (its readable part still published), an exception is counted and the
    /// frame's events discarded, and the connection reads on. Returns the venue's word on the connection.
    /// </summary>
    private async ValueTask<FrameOutcome> HandleFrameAsync(ReadOnlyMemory<byte> frame, bool isText, DateTime received, CancellationToken cancellationToken)
    {
        FrameOutcome outcome;
        StreamEvents events = _events;
        events.Clear();
        try
        {
            outcome = session.Protocol.Decode(new StreamFrame(frame.Span, isText, received, index), events);
        }
        catch (Exception e)
        {
            events.Discard();
            session.ReportHandlerError(isText ? "text frame" : "binary frame", e);
            return FrameOutcome.Ok;
        }

        if (outcome.Kind == FrameOutcomeKind.Malformed)
        {
            session.ReportMalformed(isText ? "unreadable text frame" : "malformed binary frame");
        }

        foreach (ControlMessage reply in events.Replies)
        {
            _outgoing.Writer.TryWrite(reply);
        }

        foreach (Tick tick in events.Ticks)
        {
            await session.Context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);
        }

        foreach (BookUpdate book in events.Books)
        {
            await session.Context.Sink.PublishAsync(book, cancellationToken).ConfigureAwait(false);
        }

        events.Clear();
        return outcome;
    }

    /// <summary>Tells the raw tap that this attempt's socket ended (once; nothing when no socket was opened).</summary>
    private void TapDisconnected(Attempt attempt, string reason)
    {
        if (attempt.Opened)
        {
            attempt.Opened = false;
            session.Context.RawFrames?.OnDisconnected(session.Name, index, FeedHealth.Sanitize(reason) ?? reason, session.Time.GetUtcNow().UtcDateTime);
        }
    }

    /// <summary>What one connection attempt observed, for the retry decision.</summary>
    private sealed class Attempt
    {
        /// <summary>A socket was opened (or adopted) in this attempt, and its end not yet told to the raw tap.</summary>
        public bool Opened { get; set; }

        public DateTime? LastFrameUtc { get; set; }

        public TimeSpan FlowedFor { get; set; }
    }

    /// <summary>Why a socket's life ended, and what follows: a delay the venue asked for, an auth failure, or a successor to adopt.</summary>
    private sealed record AttemptEnd(string Reason, TimeSpan? RetryAfter = null, bool AuthFailed = false, Successor? Successor = null);

    /// <summary>A replacement socket that is open, subscribed and has delivered its first frame (kept to be handled first).</summary>
    private sealed record Successor(ClientWebSocket Socket, byte[] FirstFrame, bool FirstIsText, DateTime FirstReceivedUtc);
}
