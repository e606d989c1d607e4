namespace MarketFeed.Candles;

/// <summary>Where a bar came from, as every view of it says (<c>origin</c> in JSON).</summary>
public enum CandleOrigin
{
    /// <summary>Built here from live ticks.</summary>
    Live,

    /// <summary>Loaded from the candle store or the venue's history when the series started.</summary>
    History,

    /// <summary>A live bar replaced by the venue's own candle for the interval.</summary>
    Revised,

    /// <summary>A bar not seen live (outage, restart), fetched from the venue's history afterwards.</summary>
    Backfilled,
}
