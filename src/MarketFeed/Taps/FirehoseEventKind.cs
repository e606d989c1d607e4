namespace MarketFeed.Taps;

public enum FirehoseEventKind : byte
{
    /// <summary>An admitted tick (flagged ones included), as subscribers receive it: merged state, with its <c>Updates</c>.</summary>
    Tick,

    /// <summary>A candle that just closed.</summary>
    CandleClosed,
}
