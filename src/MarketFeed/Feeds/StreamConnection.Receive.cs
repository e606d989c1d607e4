using System.Net.WebSockets;
using MarketFeed.Taps;

namespace MarketFeed.Feeds;

/// <summary>The receive side of a connection: the watchdog, typed outcomes, and make-before-break handovers.</summary>
internal sealed partial class StreamConnection
{
    private async Task<AttemptEnd> ReceiveLoopAsync(ClientWebSocket socket, Attempt attempt, int instruments, Successor? adopted, CancellationToken cancellationToken)
    {
        var reader = new FrameReader(session.Options.MaxFrameBytes);
        TimeSpan idle = session.Options.IdleTimeout;
        long openedAt = session.Time.GetTimestamp();
        long flowingSince = 0;
        TimeSpan? handoverAt = session.Protocol.Limits.MaxConnectionAge is { } age ? age - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(10).Ticks, age.Ticks / 20)) : null;
        Task<Successor?>? successor = null;
        bool adoptedSuccessor = false;

        // The handover source is cancelled by the successor once it delivers; it is never disposed, so a successor
        // finishing after this socket's end cannot touch a disposed source.
        var handover = new CancellationTokenSource();
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var receive = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token, handover.Token);
        try
        {
            if (adopted is not null)
            {
                session.Context.RawFrames?.OnFrame(session.Name, index, RawFrameDirection.In, adopted.FirstIsText, adopted.FirstFrame, adopted.FirstReceivedUtc);
                flowingSince = MarkFlowing(attempt, adopted.FirstReceivedUtc, instruments, handedOver: true);
                FrameOutcome first = await HandleFrameAsync(adopted.FirstFrame, adopted.FirstIsText, adopted.FirstReceivedUtc, cancellationToken).ConfigureAwait(false);
                if (EndFor(first) is { } endedAtOnce)
                {
                    return endedAtOnce;
                }
            }

            // Silence is the absence of bytes: a message that takes longer than the idle time to arrive (a snapshot of
            // megabytes on a slow link, or an oversized frame being drained) is not a silent socket.
            Action stillArriving = () => watchdog.CancelAfter(idle);
            while (true)
            {
                FrameRead read;
                watchdog.CancelAfter(idle);
                string? ended = null;
                try
                {
                    read = await reader.ReadAsync(socket, receive.Token, stillArriving).ConfigureAwait(false);

                    // Silence is measured between frames: the time spent handing a frame to a busy hub is not the venue's.
                    watchdog.CancelAfter(Timeout.InfiniteTimeSpan);
                    if (read.IsClose)
                    {
                        ended = $"closed by the venue ({socket.CloseStatus} {socket.CloseStatusDescription})".TrimEnd();
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    read = default;
                    ended = handover.IsCancellationRequested ? "replaced by a new connection" : $"no frame for {idle.TotalSeconds:0.#} s (silent connection)";
                }
                catch (WebSocketException e)
                {
                    read = default;
                    ended = "connection failed: " + e.Message;
                }

                if (ended is not null)
                {
                    // Whatever ended this socket, a successor being opened takes over if it comes up.
                    if (successor is not null && await AwaitSuccessorAsync(successor, ended, attempt, cancellationToken).ConfigureAwait(false) is { } next)
                    {
                        adoptedSuccessor = true;
                        return new AttemptEnd(ended, Successor: next);
                    }

                    return new AttemptEnd(ended);
                }

                DateTime received = session.Time.GetUtcNow().UtcDateTime;
                if (!read.Oversized)
                {
                    session.Context.RawFrames?.OnFrame(session.Name, index, RawFrameDirection.In, read.IsText, read.Payload.Span, received);
                }

                if (!_flowing)
                {
                    flowingSince = MarkFlowing(attempt, received, instruments);
                }

                attempt.LastFrameUtc = received;
                Volatile.Write(ref _lastFrameTimestamp, session.Time.GetTimestamp());
                session.Health.CountMessages();
                if (read.Oversized)
                {
                    session.ReportOversizedFrame(read.Bytes);
                    continue;
                }

                FrameOutcome outcome = await HandleFrameAsync(read.Payload, read.IsText, received, cancellationToken).ConfigureAwait(false);
                if (outcome.Kind == FrameOutcomeKind.ServerShutdown)
                {
                    successor ??= StartSuccessor(handover, "the venue is shutting this connection down: " + outcome.Reason, cancellationToken);
                }
                else if (EndFor(outcome) is { } end)
                {
                    return end;
                }

                if (handoverAt is { } at && successor is null && session.Time.GetElapsedTime(openedAt) >= at)
                {
                    successor = StartSuccessor(handover, "the connection nears the venue's age limit", cancellationToken);
                }
            }
        }
        finally
        {
            attempt.FlowedFor = flowingSince == 0 ? TimeSpan.Zero : session.Time.GetElapsedTime(flowingSince);
            if (successor is not null && !adoptedSuccessor)
            {
                _ = successor.ContinueWith(t => (t.IsCompletedSuccessfully ? t.Result : null)?.Socket.Dispose(), TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// This socket ended while its replacement is being opened. If that is not done yet, nothing flows on this
    /// connection meanwhile (reported, so the feed is not shown connected), and it is waited for only as long as a fresh
    /// connection would take to deliver; past that it is abandoned (disposed when it completes) and the usual reconnect applies.
    /// </summary>
    private async Task<Successor?> AwaitSuccessorAsync(Task<Successor?> successor, string ended, Attempt attempt, CancellationToken cancellationToken)
    {
        if (!successor.IsCompleted)
        {
            _flowing = false;
            session.ReportStalled(index, ended + "; waiting for its replacement", attempt.LastFrameUtc);
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(successor, Task.Delay(session.Options.ConnectTimeout + session.Options.IdleTimeout, session.Time, giveUp.Token)).ConfigureAwait(false);
            await giveUp.CancelAsync().ConfigureAwait(false);
        }

        return successor.IsCompletedSuccessfully ? successor.Result : null;
    }

    private long MarkFlowing(Attempt attempt, DateTime received, int instruments, bool handedOver = false)
    {
        _flowing = true;
        attempt.LastFrameUtc = received;
        session.ReportFlowing(index, instruments, handedOver);
        return session.Time.GetTimestamp();
    }

    /// <summary>The end of this socket's life a venue's outcome calls for, or null to read on.</summary>
    private static AttemptEnd? EndFor(FrameOutcome outcome) => outcome.Kind switch
    {
        FrameOutcomeKind.VenueDisconnect => new AttemptEnd($"the venue disconnected (code {outcome.Code}): {outcome.Reason}", outcome.RetryAfter),
        FrameOutcomeKind.AuthFailed => new AttemptEnd(outcome.Reason ?? "the venue rejected the credentials", AuthFailed: true),
        FrameOutcomeKind.RateLimited => new AttemptEnd("rate limited by the venue: " + outcome.Reason, outcome.RetryAfter),
        _ => null,
    };

    /// <summary>
    /// Opens the replacement socket beside this one: prepared, connected and subscribed to the share, and waited on
    /// until its first frame, which is kept for the adopting loop. Then it wakes this socket's receive to hand over.
    /// Null when it could not be opened (this socket carries on until it ends; then the usual reconnect applies).
    /// </summary>
    private Task<Successor?> StartSuccessor(CancellationTokenSource handover, string why, CancellationToken cancellationToken)
    {
        _handingOver = true;
        session.Logger.HandoverStarted(session.Name, index, FeedHealth.Sanitize(why)!);
        return Task.Run(async () =>
        {
            ClientWebSocket? socket = null;
            try
            {
                (socket, string? failure) = await OpenAsync(cancellationToken).ConfigureAwait(false);
                if (socket is null)
                {
                    session.Health.RecordError("make-before-break: " + failure);
                    return null;
                }

                IReadOnlyList<DesiredSubscription> share = session.ShareOf(index);
                foreach (ControlMessage message in session.SubscribeMessages(share))
                {
                    session.Context.RawFrames?.OnFrame(session.Name, index, RawFrameDirection.Out, message.IsText, message.Payload.Span, session.Time.GetUtcNow().UtcDateTime);
                    await socket.SendAsync(message.Payload, message.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                }

                if (share.Count == 0 && session.Protocol.IdleProbe() is { } probe)
                {
                    session.Context.RawFrames?.OnFrame(session.Name, index, RawFrameDirection.Out, probe.IsText, probe.Payload.Span, session.Time.GetUtcNow().UtcDateTime);
                    await socket.SendAsync(probe.Payload, probe.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                }

                using var first = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                first.CancelAfter(session.Options.IdleTimeout);
                FrameRead read = await new FrameReader(session.Options.MaxFrameBytes).ReadAsync(socket, first.Token).ConfigureAwait(false);
                if (read.IsClose || read.Oversized)
                {
                    socket.Dispose();
                    return null;
                }

                var next = new Successor(socket, read.Payload.ToArray(), read.IsText, session.Time.GetUtcNow().UtcDateTime);
                handover.Cancel();
                return next;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                socket?.Dispose();
                session.Health.RecordError($"make-before-break failed: {e.GetType().Name}: {e.Message}");
                return null;
            }
        }, CancellationToken.None);
    }
}
