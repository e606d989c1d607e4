namespace MarketFeed.Feeds;

/// <summary>How a venue's stream connections behave. Venues bind these from their own section (e.g. <c>Kite:Stream</c>).</summary>
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

    /// <summary>After an authentication failure, wait this long before trying again with freshly read credentials (sooner when the configuration is reloaded). Default 30 s.</summary>
    public TimeSpan AuthRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When no data has flowed for this long, wanted instruments are polled over REST until the stream flows again. Default 15 s.</summary>
    public TimeSpan FailoverAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Once past <see cref="FailoverAfter"/>, the stream is retried (and failed REST polls repeated) at least this often,
    /// whatever the backoff has grown to, so the switch back to a recovered stream is prompt. Default 5 s.
    /// </summary>
    public TimeSpan RecoveryProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A frame larger than this is drained without being kept, counted and skipped; bounds the receive buffer. Default 4 MiB.</summary>
    public int MaxFrameBytes { get; set; } = 4 * 1024 * 1024;

    internal void Validate()
    {
        if (MaxFrameBytes < 1)
        {
            throw new FeedConfigurationException($"Stream:MaxFrameBytes must be at least 1 (it is {MaxFrameBytes})");
        }

        if (IdleTimeout <= TimeSpan.Zero || RecoveryProbeInterval <= TimeSpan.Zero || ReconnectBaseDelay < TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new FeedConfigurationException("Stream: IdleTimeout and RecoveryProbeInterval must be positive, and ReconnectMaxDelay at least ReconnectBaseDelay");
        }
    }
}
