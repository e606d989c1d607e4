namespace MarketFeed.Model;

/// <summary>Facts about one tick, set by the venue adapter (volume semantics) or the hub (quality flags).</summary>
[Flags]
public enum TickFlags : ushort
{
    None = 0,

    /// <summary><see cref="Tick.Volume"/> is the venue's cumulative volume for the trading day; candle volume is its change.</summary>
    CumulativeVolume = 1 << 0,

    /// <summary><see cref="Tick.Ltq"/> is one executed trade; candle volume is the sum of trade quantities.</summary>
    Trade = 1 << 1,

    /// <summary>Set by the hub: exchange time went backwards for this instrument. Delivered, not applied to the quote book.</summary>
    OutOfOrder = 1 << 8,

    /// <summary>Set by the hub: the price jumped beyond the configured band. Delivered, kept out of the quote book and candles.</summary>
    Outlier = 1 << 9,

    /// <summary>
    /// Set by the hub: the exchange time is further ahead of the receive time than <c>HubOptions.FutureTolerance</c>, so
    /// it is not trusted. Delivered and kept as the latest quote, but it does not move the instrument's ordering clock
    /// and candles bucket it by receive time (see <see cref="Tick.EventTime"/>).
    /// </summary>
    ClockAhead = 1 << 10,
}
