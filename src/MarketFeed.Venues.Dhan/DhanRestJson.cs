using System.Globalization;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>Dhan's REST JSON shapes: a market quote into a poll tick, chart column arrays into candles.</summary>
internal static class DhanRestJson
{
    public static Tick QuoteToTick(JsonElement q, Instrument instrument, DateTime receivedUtc)
    {
        Price tickSize = instrument.TickSize;
        var tick = new Tick(instrument.Id)
        {
            ReceiveTime = receivedUtc,
            Source = TickSource.Poll,
            Mode = FeedMode.Full,
            Ltp = PriceOf(q, "last_price", tickSize),
        };

        // "dd/MM/yyyy HH:mm:ss" in IST; Dhan answers 01/01/1980 for an instrument that has not traded.
        if (q.TryGetProperty("last_trade_time", out JsonElement time) && time.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(time.GetString(), "dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local)
            && local.Year > 1980)
        {
            tick.ExchangeTime = TimeZoneInfo.ConvertTimeToUtc(local, TimeZones.Kolkata);
        }
        if (q.TryGetProperty("ohlc", out JsonElement ohlc) && ohlc.ValueKind == JsonValueKind.Object)
        {
            tick.Open = PriceOf(ohlc, "open", tickSize);
            tick.High = PriceOf(ohlc, "high", tickSize);
            tick.Low = PriceOf(ohlc, "low", tickSize);
            tick.Close = PriceOf(ohlc, "close", tickSize);
        }

        if (instrument.IsTradable)
        {
            tick.Ltq = QuantityOf(q, "last_quantity");
            tick.Atp = PriceOf(q, "average_price", tickSize);
            tick.Volume = QuantityOf(q, "volume");
            tick.Oi = QuantityOf(q, "oi");
            tick.Flags = TickFlags.CumulativeVolume;
            if (q.TryGetProperty("depth", out JsonElement depth) && depth.ValueKind == JsonValueKind.Object)
            {
                ReadSide(depth, "buy", tickSize, ref tick, bids: true);
                ReadSide(depth, "sell", tickSize, ref tick, bids: false);
            }
        }

        return tick;
    }

    /// <summary>Column arrays (<c>open</c>, <c>high</c>, <c>low</c>, <c>close</c>, <c>volume</c>, <c>timestamp</c> in true epoch seconds) into closed history candles.</summary>
    public static IReadOnlyList<Candle> Candles(JsonElement root, CandleInterval interval, Price tickSize)
    {
        if (!root.TryGetProperty("timestamp", out JsonElement stamps) || stamps.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        JsonElement open = root.GetProperty("open"), high = root.GetProperty("high"), low = root.GetProperty("low"), close = root.GetProperty("close");
        bool hasVolume = root.TryGetProperty("volume", out JsonElement volume) && volume.ValueKind == JsonValueKind.Array;
        var candles = new List<Candle>(stamps.GetArrayLength());
        for (int i = 0; i < stamps.GetArrayLength(); i++)
        {
            DateTime start = DateTime.UnixEpoch.AddSeconds(stamps[i].GetDouble());
            candles.Add(new Candle(
                start, start + interval.Length,
                Price.FromDecimal(open[i].GetDecimal()).RoundToTick(tickSize), Price.FromDecimal(high[i].GetDecimal()).RoundToTick(tickSize),
                Price.FromDecimal(low[i].GetDecimal()).RoundToTick(tickSize), Price.FromDecimal(close[i].GetDecimal()).RoundToTick(tickSize),
                hasVolume ? Quantity.FromDecimal(volume[i].GetDecimal()) : Quantity.Zero, 0, CandleFlags.Closed | CandleFlags.History));
        }

        return candles;
    }

    /// <summary>The chart endpoints' <c>instrument</c> field for an instrument.</summary>
    public static string InstrumentType(Instrument instrument, byte segment)
    {
        bool onIndex = instrument.Underlying is { } u && (u.StartsWith("NSE:NIFTY", StringComparison.Ordinal) || u is "BSE:SENSEX" or "BSE:BANKEX");
        return (instrument.Kind, segment) switch
        {
            (InstrumentKind.Index, _) => "INDEX",
            (InstrumentKind.Future, DhanSegment.McxCommodity) => "FUTCOM",
            (InstrumentKind.Call or InstrumentKind.Put, DhanSegment.McxCommodity) => "OPTFUT",
            (InstrumentKind.Future, DhanSegment.NseCurrency or DhanSegment.BseCurrency) => "FUTCUR",
            (InstrumentKind.Call or InstrumentKind.Put, DhanSegment.NseCurrency or DhanSegment.BseCurrency) => "OPTCUR",
            (InstrumentKind.Future, _) => onIndex ? "FUTIDX" : "FUTSTK",
            (InstrumentKind.Call or InstrumentKind.Put, _) => onIndex ? "OPTIDX" : "OPTSTK",
            _ => "EQUITY",
        };
    }

    private static void ReadSide(JsonElement depth, string side, Price tickSize, ref Tick tick, bool bids)
    {
        if (!depth.TryGetProperty(side, out JsonElement levels) || levels.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        int level = 0;
        foreach (JsonElement entry in levels.EnumerateArray().Take(MarketDepth.Levels))
        {
            Price price = PriceOf(entry, "price", tickSize);
            if (!price.HasValue || price.Raw <= 0)
            {
                break;
            }

            var value = new DepthLevel(price, QuantityOf(entry, "quantity"), entry.TryGetProperty("orders", out JsonElement o) && o.TryGetInt32(out int orders) ? orders : 0);
            if (bids)
            {
                tick.Depth.SetBid(level, value);
            }
            else
            {
                tick.Depth.SetAsk(level, value);
            }

            level++;
        }

        if (level > 0)
        {
            DepthLevel best = bids ? tick.Depth.Bids[0] : tick.Depth.Asks[0];
            if (bids)
            {
                (tick.Bid, tick.BidQty) = (best.Price, best.Quantity);
            }
            else
            {
                (tick.Ask, tick.AskQty) = (best.Price, best.Quantity);
            }
        }
    }

    private static Price PriceOf(JsonElement e, string name, Price tickSize) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out decimal d) && d > 0 && d < 1_000_000_000m
            ? Price.FromDecimal(d).RoundToTick(tickSize)
            : Price.None;

    private static Quantity QuantityOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out decimal d) && d >= 0 && d < 1e15m
            ? Quantity.FromDecimal(d)
            : Quantity.None;
}
