using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// What a venue adapter tells the shared <see cref="FeedSession"/>: where to connect (an async step that may call the
/// venue first), how to phrase subscriptions, and how to turn frames — text or binary — into normalized events and
/// typed outcomes. Everything else — connecting, watchdog, backoff, resubscription, sharding by the venue's limits,
/// control-message pacing, make-before-break, auth failures, failover — the session does the same way for every venue.
/// </summary>
public interface IStreamProtocol
{
    ShardingLimits Limits { get; }

    /// <summary>
    /// Before every connection attempt: the endpoint to open, built from credentials read now (they may have been
    /// rotated). A venue that hands out socket URLs or listen keys over REST calls it here.
    /// </summary>
    /// <exception cref="FeedConfigurationException">Credentials or URL missing; the message says which setting to set.</exception>
    /// <exception cref="AuthenticationRejectedException">The venue rejected the credentials while preparing.</exception>
    ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken);

    /// <summary>How many of the venue's streams one instrument takes in <paramref name="mode"/> (counted against <see cref="ShardingLimits.StreamsPerConnection"/>).</summary>
    int StreamsPerInstrument(FeedMode mode) => 1;

    /// <summary>Control messages that subscribe <paramref name="batch"/> (at most <see cref="ShardingLimits.InstrumentsPerMessage"/>) in their modes.</summary>
    IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch);

    IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch);

    /// <summary>
    /// A control message the venue answers, for venues that send nothing on a quiet connection (Binance: only WebSocket
    /// pings, which ClientWebSocket answers without surfacing them). Sent when a connection has been silent for a third
    /// of <see cref="FeedSessionOptions.IdleTimeout"/>, and at once when it opens with nothing to subscribe, so a healthy
    /// but quiet connection delivers a frame before the watchdog gives up on it. Null (the default): the venue's own
    /// heartbeats keep connections alive.
    /// </summary>
    ControlMessage? IdleProbe() => null;

    /// <summary>
    /// Decodes one frame into <paramref name="events"/> and says what it means for the connection. Should not throw
    /// (the session contains it if it does: the frame is counted and its events discarded).
    /// </summary>
    FrameOutcome Decode(in StreamFrame frame, StreamEvents events);
}
