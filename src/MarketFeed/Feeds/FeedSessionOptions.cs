namespace MarketFeed.Feeds;

/// <summary>How a venue's stream connections behave. Venues bind these from their own section (e.g. <c>Kite</c>).</summary>
public sealed class FeedSessionOptions
{
    /// <summary>No frame at all (heartbeats included) for this long → the connection is dropped and reopened. Default 10 s.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Giving up on one connect attempt. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Second retry's delay; doubles per attempt. Default 1 s.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After an authentication failure, wait this long before trying again with freshly read credentials. Default 30 s.</summary>
    public TimeSpan AuthRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When the stream has been down this long, wanted instruments are polled over REST until it is back. Default 15 s.</summary>
    public TimeSpan FailoverAfter { get; set; } = TimeSpan.FromSeconds(15);
}
