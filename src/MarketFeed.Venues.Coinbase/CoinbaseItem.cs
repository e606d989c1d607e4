using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// One item of a <c>tickers</c> or <c>trades</c> array as the decoder meets its fields (Coinbase's order is not relied
/// on), raw fixed-point values with a bit per field seen. Fields of neither kind (52-week range, percent change) are
/// skipped.
/// </summary>
internal struct CoinbaseItem
{
    public Seen Fields;
    public bool ProductKnown;
    public InstrumentId Instrument;
    public long Price;
    public long Size;
    public long TradeId;
    public DateTime Time;
    public long Volume;
    public long High;
    public long Low;
    public long Bid;
    public long BidQuantity;
    public long Ask;
    public long AskQuantity;

    [Flags]
    public enum Seen : ushort
    {
        None = 0,
        Product = 1 << 0,
        Price = 1 << 1,
        Size = 1 << 2,
        TradeId = 1 << 3,
        Time = 1 << 4,
        Side = 1 << 5,
        Volume = 1 << 6,
        High = 1 << 7,
        Low = 1 << 8,
        Bid = 1 << 9,
        BidQuantity = 1 << 10,
        Ask = 1 << 11,
        AskQuantity = 1 << 12,

        TradeFields = Product | Price | Size | TradeId | Time | Side,
        TickerFields = Product | Price,
        TopOfBook = Bid | BidQuantity | Ask | AskQuantity,
        DayStats = Volume | High | Low,
    }

    public readonly bool Has(Seen fields) => (Fields & fields) == fields;

    /// <summary>Reads one item object (the reader on its start), left on its end.</summary>
    public static bool Read(ref Utf8JsonReader reader, CoinbaseProductMap products, ref CoinbaseItem item)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Coinbase never escapes its field names: an escaped one is nobody's, skipped like any other.
            Seen field = reader.ValueIsEscaped ? Seen.None : Name(reader.ValueSpan);
            if (!reader.Read())
            {
                return false;
            }

            bool read = field switch
            {
                Seen.None => reader.TrySkip(),
                Seen.Product => CoinbaseJsonValues.TryProduct(ref reader, products, out item.ProductKnown, out item.Instrument),
                Seen.Price => CoinbaseJsonValues.TryFixed(ref reader, out item.Price),
                Seen.Size => CoinbaseJsonValues.TryFixed(ref reader, out item.Size),
                Seen.Bid => CoinbaseJsonValues.TryFixed(ref reader, out item.Bid),
                Seen.BidQuantity => CoinbaseJsonValues.TryFixed(ref reader, out item.BidQuantity),
                Seen.Ask => CoinbaseJsonValues.TryFixed(ref reader, out item.Ask),
                Seen.AskQuantity => CoinbaseJsonValues.TryFixed(ref reader, out item.AskQuantity),
                Seen.Volume => CoinbaseJsonValues.TryFixed(ref reader, out item.Volume),
                Seen.High => CoinbaseJsonValues.TryFixed(ref reader, out item.High),
                Seen.Low => CoinbaseJsonValues.TryFixed(ref reader, out item.Low),
                Seen.Time => CoinbaseJsonValues.TryTime(ref reader, out item.Time),

                // A string; Coinbase's are decimal digits, which also order the trades. Anything else orders by time.
                Seen.TradeId => reader.TokenType == JsonTokenType.String && (item.TradeId = Digits(reader.ValueIsEscaped ? default : reader.ValueSpan)) >= 0,
                Seen.Side => reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("BUY"u8) || reader.ValueTextEquals("SELL"u8)),
                _ => false,
            };
            if (!read || (item.Fields & field) != 0)
            {
                return false;
            }

            item.Fields |= field;
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>The field a name stands for (by length first: one comparison for most names), or <see cref="Seen.None"/>.</summary>
    private static Seen Name(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => name.SequenceEqual("size"u8) ? Seen.Size : name.SequenceEqual("time"u8) ? Seen.Time : name.SequenceEqual("side"u8) ? Seen.Side : Seen.None,
        5 => name.SequenceEqual("price"u8) ? Seen.Price : Seen.None,
        8 => name.SequenceEqual("trade_id"u8) ? Seen.TradeId : name.SequenceEqual("best_bid"u8) ? Seen.Bid
            : name.SequenceEqual("best_ask"u8) ? Seen.Ask : name.SequenceEqual("low_24_h"u8) ? Seen.Low : Seen.None,
        9 => name.SequenceEqual("high_24_h"u8) ? Seen.High : Seen.None,
        10 => name.SequenceEqual("product_id"u8) ? Seen.Product : Seen.None,
        11 => name.SequenceEqual("volume_24_h"u8) ? Seen.Volume : Seen.None,
        17 => name.SequenceEqual("best_bid_quantity"u8) ? Seen.BidQuantity : name.SequenceEqual("best_ask_quantity"u8) ? Seen.AskQuantity : Seen.None,
        _ => Seen.None,
    };

    public readonly Tick ToTrade(DateTime receivedUtc) => new(Instrument)
    {
        Updates = TickFields.Trade,
        Ltp = Model.Price.FromRaw(Price),
        Ltq = Quantity.FromRaw(Size),
        ExchangeTime = Time,
        ReceiveTime = receivedUtc,
        VenueSequence = TradeId,
        Flags = TickFlags.Trade,
        Mode = FeedMode.Full,
        Source = TickSource.Stream,
    };

    /// <summary>The top of book (where the ticker has it: <c>ticker_batch</c> leaves it out) and the 24-hour statistics.</summary>
    public readonly Tick ToTicker(DateTime receivedUtc)
    {
        var tick = new Tick(Instrument) { Updates = TickFields.None, ReceiveTime = receivedUtc, Mode = FeedMode.Quote, Source = TickSource.Stream };
        if (Has(Seen.TopOfBook))
        {
            tick.Updates |= TickFields.TopOfBook;

            // An empty side comes as 0: no bid (or offer), not a price of 0.
            if (Bid != 0)
            {
                (tick.Bid, tick.BidQty) = (Model.Price.FromRaw(Bid), Quantity.FromRaw(BidQuantity));
            }

            if (Ask != 0)
            {
                (tick.Ask, tick.AskQty) = (Model.Price.FromRaw(Ask), Quantity.FromRaw(AskQuantity));
            }
        }

        if (Has(Seen.DayStats))
        {
            tick.Updates |= TickFields.DayStats;
            tick.Volume = Quantity.FromRaw(Volume);
            (tick.High, tick.Low) = (Model.Price.FromRaw(High), Model.Price.FromRaw(Low));
        }

        return tick;
    }

    /// <summary>Decimal digits (1–18) as a number; 0 when the text is anything else.</summary>
    private static long Digits(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > 18)
        {
            return 0;
        }

        long value = 0;
        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9)
            {
                return 0;
            }

            value = (value * 10) + (b - '0');
        }

        return value;
    }
}
