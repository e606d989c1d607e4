namespace MarketFeed.Taps;

/// <summary>How one firehose consumer is fed.</summary>
public sealed class FirehoseOptions
{
    /// <summary>Events held for a consumer that falls behind. Default 262,144.</summary>
    public int Capacity { get; init; } = 262_144;

    /// <summary>
    /// When the consumer is full: false (default) drops the event and counts it in <see cref="Firehose.Dropped"/>,
    /// so the hub never waits; true makes the hub wait for room — only for consumers that must lose nothing and are
    /// fast enough (a recorder on a local disk), since every instrument of that partition waits with it.
    /// </summary>
    public bool Lossless { get; init; }
}
