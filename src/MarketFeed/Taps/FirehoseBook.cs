using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>
/// An applied order-book change as the firehose carries it: the book's best levels after the change (at most the hub's
/// <see cref="BookOptions.Depth"/> a side, best first), i.e. a bounded snapshot a consumer can apply as is. The level
/// spans point into the ring's slot and are valid only during the reader's callback.
/// </summary>
public readonly ref struct FirehoseBook(InstrumentId instrument, long lastUpdateId, DateTime exchangeTime, DateTime receiveTime, TickSource source, ReadOnlySpan<BookLevelChange> bids, ReadOnlySpan<BookLevelChange> asks)
{
    public InstrumentId Instrument { get; } = instrument;

    /// <summary>The venue's last update id the book has applied.</summary>
    public long LastUpdateId { get; } = lastUpdateId;

    public DateTime ExchangeTime { get; } = exchangeTime;

    public DateTime ReceiveTime { get; } = receiveTime;

    public TickSource Source { get; } = source;

    public ReadOnlySpan<BookLevelChange> Bids { get; } = bids;

    public ReadOnlySpan<BookLevelChange> Asks { get; } = asks;
}
