namespace MarketFeed.Feeds;

/// <summary>What a frame means for its connection.</summary>
public enum FrameOutcomeKind
{
    /// <summary>Read (possibly with nothing to publish: a heartbeat, an ack).</summary>
    Ok,

    /// <summary>Could not be read: counted and skipped; what could be read is still published.</summary>
    Malformed,

    /// <summary>The venue says it is disconnecting this connection (with its reason code): reconnect after the given delay, or with backoff.</summary>
    VenueDisconnect,

    /// <summary>The venue rejected the credentials: <c>auth_failed</c>, slow retries with re-read credentials.</summary>
    AuthFailed,

    /// <summary>The venue says this connection is sending or connecting too fast: back off for the given delay.</summary>
    RateLimited,

    /// <summary>The venue is about to close this connection (shutdown, upgrade, age): open the replacement now, close this one once it delivers.</summary>
    ServerShutdown,
}
