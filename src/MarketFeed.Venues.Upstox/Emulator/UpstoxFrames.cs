using Google.Protobuf;
using MarketFeed.Model;
using MarketFeed.Venues.Upstox.Proto;
using OptionGreeks = MarketFeed.Model.OptionGreeks;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>
/// Builds Upstox's server frames with the protobuf runtime's generated classes (from the .proto of the published
/// schema), as Upstox's own servers produce them: a <c>FeedResponse</c> per frame, <c>market_info</c> first, then
/// <c>initial_feed</c> and <c>live_feed</c> with one <c>Feed</c> per instrument key in the subscribed mode.
/// </summary>
internal static class UpstoxFrames
{
    /// <summary>What full_d30 adds beyond the simulator's five levels: further levels a tick apart.</summary>
    public const int DeepLevels = 30;

    public static byte[] MarketInfo(IReadOnlyDictionary<string, UpstoxSegmentStatus> segments, DateTime nowUtc)
    {
        var info = new MarketInfo();
        foreach ((string segment, UpstoxSegmentStatus status) in segments)
        {
            info.SegmentStatus[segment] = (MarketStatus)(int)status;
        }

        return new FeedResponse { Type = Proto.Type.MarketInfo, CurrentTs = Ms(nowUtc), MarketInfo = info }.ToByteArray();
    }

    public static FeedResponse Response(bool initial, DateTime nowUtc) =>
        new() { Type = initial ? Proto.Type.InitialFeed : Proto.Type.LiveFeed, CurrentTs = Ms(nowUtc) };

    /// <summary>The feed of one instrument in a subscription mode (<c>ltpc</c>, <c>option_greeks</c>, <c>full</c>, <c>full_d30</c>).</summary>
    public static Feed Feed(in Tick tick, OptionGreeks? greeks, string mode, bool isIndex, Price tickSize)
    {
        LTPC ltpc = Ltpc(tick);
        switch (mode)
        {
            case "ltpc":
                return new Feed { Ltpc = ltpc, RequestMode = RequestMode.Ltpc };
            case "option_greeks":
                var first = new FirstLevelWithGreeks
                {
                    Ltpc = ltpc,
                    FirstDepth = new Quote { BidQ = Units(tick.BidQty), BidP = D(tick.Bid), AskQ = Units(tick.AskQty), AskP = D(tick.Ask) },
                    Vtt = Units(tick.Volume),
                    Oi = Units(tick.Oi),
                    Iv = greeks?.Iv ?? 0,
                };
                if (greeks is { } g)
                {
                    first.OptionGreeks = Greeks(g);
                }

                return new Feed { FirstLevelWithGreeks = first, RequestMode = RequestMode.OptionGreeks };
            default:
                bool deep = mode == "full_d30";
                if (isIndex)
                {
                    return new Feed { FullFeed = new FullFeed { IndexFF = new IndexFullFeed { Ltpc = ltpc, MarketOHLC = Ohlc(tick) } }, RequestMode = RequestMode.FullD5 };
                }

                var full = new MarketFullFeed
                {
                    Ltpc = ltpc,
                    MarketLevel = Levels(tick, deep ? DeepLevels : MarketDepth.Levels, tickSize),
                    OptionGreeks = greeks is { } og ? Greeks(og) : new Proto.OptionGreeks(),
                    MarketOHLC = Ohlc(tick),
                    Atp = D(tick.Atp),
                    Vtt = Units(tick.Volume),
                    Oi = Units(tick.Oi),
                    Iv = greeks?.Iv ?? 0,
                    Tbq = Sum(tick.Depth.Bids, tick.Depth.BidCount),
                    Tsq = Sum(tick.Depth.Asks, tick.Depth.AskCount),
                };
                return new Feed { FullFeed = new FullFeed { MarketFF = full }, RequestMode = deep ? RequestMode.FullD30 : RequestMode.FullD5 };
        }
    }

    private static LTPC Ltpc(in Tick tick) => new()
    {
        Ltp = D(tick.Ltp),
        Ltt = tick.HasExchangeTime ? Ms(tick.ExchangeTime) : 0,
        Ltq = Units(tick.Ltq),
        Cp = D(tick.Close),
    };

    private static Proto.OptionGreeks Greeks(OptionGreeks g) => new() { Delta = g.Delta, Gamma = g.Gamma, Theta = g.Theta, Vega = g.Vega };

    private static MarketOHLC Ohlc(in Tick tick)
    {
        var ohlc = new MarketOHLC();
        DateTime day = tick.EventTime.Date;
        ohlc.Ohlc.Add(new OHLC { Interval = "1d", Open = D(tick.Open), High = D(tick.High), Low = D(tick.Low), Close = D(tick.Ltp), Vol = Units(tick.Volume), Ts = Ms(day) });
        DateTime minute = new(tick.EventTime.Ticks - (tick.EventTime.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        ohlc.Ohlc.Add(new OHLC { Interval = "I1", Open = D(tick.Ltp), High = D(tick.Ltp), Low = D(tick.Ltp), Close = D(tick.Ltp), Ts = Ms(minute) });
        return ohlc;
    }

    /// <summary>Bid and ask per level in one Quote; past the simulator's five levels, further ones a tick apart.</summary>
    private static MarketLevel Levels(in Tick tick, int count, Price tickSize)
    {
        var level = new MarketLevel();
        MarketDepth depth = tick.Depth;
        for (int i = 0; i < count; i++)
        {
            level.BidAskQuote.Add(new Quote
            {
                BidQ = Side(depth.Bids, depth.BidCount, i, tickSize, -1, out double bidP),
                BidP = bidP,
                AskQ = Side(depth.Asks, depth.AskCount, i, tickSize, +1, out double askP),
                AskP = askP,
            });
        }

        return level;
    }

    private static long Side(DepthLevels levels, int known, int i, Price tickSize, int direction, out double price)
    {
        price = 0;
        if (known == 0)
        {
            return 0;
        }

        if (i < known)
        {
            price = D(levels[i].Price);
            return Units(levels[i].Quantity);
        }

        Price deeper = levels[known - 1].Price + (tickSize * (direction * (i - known + 1)));
        if (deeper.Raw <= 0)
        {
            return 0;
        }

        price = D(deeper);
        return 100 + (17 * i);
    }

    private static double Sum(DepthLevels levels, int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += Units(levels[i].Quantity);
        }

        return total;
    }

    private static double D(Price price) => price.HasValue ? (double)price.ToDecimal() : 0;

    private static long Units(Quantity quantity) => quantity.HasValue ? quantity.Raw / FixedPoint.Factor : 0;

    private static long Ms(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
