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
            Seen field;
            if (reader.ValueTextEquals("product_id"u8))
            {
                if (!reader.Read() || !CoinbaseJsonValues.TryProduct(ref reader, products, out item.ProductKnown, out item.Instrument))
                {
                    return false;
                }

                field = Seen.Product;
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                field = Fixed(ref reader, ref item.Price, Seen.Price);
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                field = Fixed(ref reader, ref item.Size, Seen.Size);
            }
            else if (reader.ValueTextEquals("best_bid"u8))
            {
                field = Fixed(ref reader, ref item.Bid, Seen.Bid);
            }
            else if (reader.ValueTextEquals("best_bid_quantity"u8))
            {
                field = Fixed(ref reader, ref item.BidQuantity, Seen.BidQuantity);
            }
            else if (reader.ValueTextEquals("best_ask"u8))
            {
                field = Fixed(ref reader, ref item.Ask, Seen.Ask);
            }
            else if (reader.ValueTextEquals("best_ask_quantity"u8))
            {
                field = Fixed(ref reader, ref item.AskQuantity, Seen.AskQuantity);
            }
            else if (reader.ValueTextEquals("volume_24_h"u8))
            {
                field = Fixed(ref reader, ref item.Volume, Seen.Volume);
            }
            else if (reader.ValueTextEquals("high_24_h"u8))
            {
                field = Fixed(ref reader, ref item.High, Seen.High);
            }
            else if (reader.ValueTextEquals("low_24_h"u8))
            {
                field = Fixed(ref reader, ref item.Low, Seen.Low);
            }
            else if (reader.ValueTextEquals("trade_id"u8))
            {
                // A string; Coinbase's are decimal digits, which also order the trades. Anything else orders by time.
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                item.TradeId = Digits(reader.ValueIsEscaped ? default : reader.ValueSpan);
                field = Seen.TradeId;
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                field = reader.Read() && CoinbaseJsonValues.TryTime(ref reader, out item.Time) ? Seen.Time : Seen.None;
            }
            else if (reader.ValueTextEquals("side"u8))
            {
                field = reader.Read() && reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("BUY"u8) || reader.ValueTextEquals("SELL"u8))
                    ? Seen.Side
                    : Seen.None;
            }
            else
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            if (field == Seen.None || (item.Fields & field) != 0)
            {
                return false;
            }

            item.Fields |= field;
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

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

    private static Seen Fixed(ref Utf8JsonReader reader, ref long value, Seen field) =>
        reader.Read() && CoinbaseJsonValues.TryFixed(ref reader, out value) ? field : Seen.None;

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
