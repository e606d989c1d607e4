using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// What a venue adapter tells the shared <see cref="FeedSession"/>: where to connect (with the current credentials),
/// how to phrase subscriptions, and how to turn frames into ticks. Everything else — connecting, watchdog,
/// backoff, resubscription, sharding, auth failures, failover — the session does the same way for every venue.
/// </summary>
public interface IStreamProtocol
{
    ShardingLimits Limits { get; }

    /// <summary>Builds the stream URL from credentials read now (they may have been rotated since the last attempt).</summary>
    /// <exception cref="FeedConfigurationException">Credentials or URL missing; the message says which setting to set.</exception>
    Uri BuildStreamUri();

    /// <summary>Text messages that subscribe <paramref name="batch"/> (at most <see cref="ShardingLimits.InstrumentsPerMessage"/>) in their modes.</summary>
    IEnumerable<string> Subscribe(IReadOnlyList<DesiredSubscription> batch);

    IEnumerable<string> Unsubscribe(IReadOnlyList<InstrumentId> batch);

    /// <summary>Decodes one binary frame, appending ticks to <paramref name="ticks"/>. Returns false when the frame was malformed (counted, skipped).</summary>
    bool DecodeBinary(ReadOnlySpan<byte> frame, DateTime receivedUtc, List<Tick> ticks);

    /// <summary>A text frame (venue messages, errors, order updates): the protocol surfaces it; false when it could not be read.</summary>
    bool HandleText(string text);
}
