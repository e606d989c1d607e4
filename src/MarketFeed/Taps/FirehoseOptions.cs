namespace MarketFeed.Taps;

/// <summary>How one firehose consumer is fed.</summary>
public sealed class FirehoseOptions
{
    /// <summary>
    /// Events held for a consumer that falls behind, over all partitions. About 520 bytes each, written in a circle: a
    /// ring that fits the CPU's cache costs the hub least (measured: +9 % per tick at 4,096, +40 % at 16,384), so size
    /// it to the consumer's longest pause at your tick rate, not larger. Default 8,192.
    /// </summary>
    public int Capacity { get; init; } = 8_192;

    /// <summary>
    /// When the consumer is full: false (default) drops the event and counts it in <see cref="Firehose.Dropped"/>,
    /// so the hub never waits; true makes the hub wait for room — only for consumers that must lose nothing and are
    /// fast enough (a recorder on a local disk), since every instrument of that partition waits with it.
    /// </summary>
    public bool Lossless { get; init; }

    /// <summary>
    /// Only candle closes reach this consumer (a candle store): the hub skips it for ticks, so it costs them one check
    /// instead of a copy. Default false.
    /// </summary>
    public bool CandlesOnly { get; init; }
}
