namespace MarketFeed.Taps;

public enum FirehoseEventKind : byte
{
    /// <summary>An admitted tick (flagged ones included), as subscribers receive it: merged state, with its <c>Updates</c>.</summary>
    Tick,

    /// <summary>A candle that just closed.</summary>
    CandleClosed,

    /// <summary>
    /// A closed candle changed after the fact (reconciled with the venue's candle, or backfilled after an outage):
    /// <see cref="FirehoseEvent.Revision"/> holds the old value (none for a backfill) and the new one.
    /// </summary>
    CandleRevised,

    /// <summary>An order-book change was applied: <see cref="FirehoseEvent.Book"/> holds the book's best levels after it.</summary>
    Book,
}
