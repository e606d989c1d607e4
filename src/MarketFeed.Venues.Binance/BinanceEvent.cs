using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// The fields of one payload as the decoder meets them (Binance's order is not relied on), raw fixed-point values
/// and ids, with a bit per field seen. A depth payload's levels go straight into a pooled <see cref="Book"/>.
/// </summary>
internal struct BinanceEvent
{
    public BinanceEventType Type;
    public Seen Fields;
    public bool SymbolKnown;
    public InstrumentId Instrument;
    public long EventTimeMs;
    public long TradeId;
    public long TradeTimeMs;
    public long Price;
    public long Quantity;
    public long FirstUpdateId;
    public long UpdateId;
    public long BidPrice;
    public long BidQuantity;
    public long AskPrice;
    public long AskQuantity;
    public BookUpdate? Book;

    [Flags]
    public enum Seen : ushort
    {
        None = 0,
        EventTime = 1 << 0,
        Symbol = 1 << 1,
        TradeId = 1 << 2,
        Price = 1 << 3,
        Quantity = 1 << 4,
        TradeTime = 1 << 5,
        FirstUpdateId = 1 << 6,
        UpdateId = 1 << 7,
        BidPrice = 1 << 8,
        BidQuantity = 1 << 9,
        AskPrice = 1 << 10,
        AskQuantity = 1 << 11,
        Bids = 1 << 12,
        Asks = 1 << 13,

        TradeFields = Symbol | TradeId | Price | Quantity | TradeTime,
        BookTickerFields = Symbol | UpdateId | BidPrice | BidQuantity | AskPrice | AskQuantity,
        DepthFields = Symbol | FirstUpdateId | UpdateId | Bids | Asks,
    }

    public readonly bool Has(Seen fields) => (Fields & fields) == fields;
}
