namespace MarketFeed.Feeds;

/// <summary>
/// A venue's per-connection limits: instruments per connection, connections per key, instruments per subscribe
/// message, and (where the venue counts them) streams per connection, control messages per second and how long a
/// connection may live before the venue closes it.
/// </summary>
public readonly record struct ShardingLimits(int InstrumentsPerConnection, int Connections, int InstrumentsPerMessage)
{
    /// <summary>The venue's streams one connection may carry (see <see cref="IStreamProtocol.StreamsPerInstrument"/>). Default: no limit.</summary>
    public int StreamsPerConnection { get; init; } = int.MaxValue;

    /// <summary>Control messages (subscribe, unsubscribe, pong) a connection may send per second. Default: no limit.</summary>
    public double ControlMessagesPerSecond { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// The venue closes a connection at this age (Binance: 24 h). A little before it, the session opens the
    /// replacement and closes the old one once the new one delivers (make before break). Default: none.
    /// </summary>
    public TimeSpan? MaxConnectionAge { get; init; }

    public int Capacity => InstrumentsPerConnection * Connections;
}
