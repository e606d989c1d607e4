using System.Runtime.InteropServices;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Every trade the emulator made for one symbol, folded into one-second bars from its start, so klines after the start
/// are exactly the trades that were sent. About 90 bytes per symbol per second of running.
/// </summary>
internal sealed class BinanceLiveTrades(DateTime startUtc)
{
    private const decimal Factor = 100_000_000m;
    private readonly List<BinanceKlineBar> _seconds = [];

    /// <summary>The first second recorded (the emulator's start, whole seconds): klines before it are simulated history.</summary>
    public long StartMs { get; } = BinanceJson.UnixMilliseconds(startUtc) / 1000 * 1000;

    public void Record(long timeMs, long price, long quantity, bool buyerMaker)
    {
        int index = (int)Math.Max(0, (timeMs - StartMs) / 1000);
        while (_seconds.Count <= index)
        {
            _seconds.Add(default);
        }

        decimal quote = price / Factor * (quantity / Factor);
        var trade = new BinanceKlineBar
        {
            Trades = 1,
            Open = price,
            High = price,
            Low = price,
            Close = price,
            Volume = quantity,
            TakerBuyVolume = buyerMaker ? 0 : quantity,
            QuoteVolume = quote,
            TakerBuyQuoteVolume = buyerMaker ? 0 : quote,
        };
        CollectionsMarshal.AsSpan(_seconds)[index].Add(in trade);
    }

    /// <summary>The trades in [<paramref name="fromMs"/>, <paramref name="toMs"/>) as one bar (empty when there were none).</summary>
    public BinanceKlineBar Aggregate(long fromMs, long toMs)
    {
        var bar = default(BinanceKlineBar);
        int first = (int)Math.Max(0, (fromMs - StartMs) / 1000);
        int end = (int)Math.Min(_seconds.Count, Math.Max(0, (toMs - StartMs + 999) / 1000));
        ReadOnlySpan<BinanceKlineBar> seconds = CollectionsMarshal.AsSpan(_seconds);
        for (int i = first; i < end; i++)
        {
            bar.Add(in seconds[i]);
        }

        return bar;
    }

    /// <summary>The last trade price before <paramref name="ms"/>, or null when no trade came before it.</summary>
    public long? LastPriceBefore(long ms)
    {
        ReadOnlySpan<BinanceKlineBar> seconds = CollectionsMarshal.AsSpan(_seconds);
        for (int i = (int)Math.Min(seconds.Length, Math.Max(0, (ms - StartMs) / 1000)) - 1; i >= 0; i--)
        {
            if (!seconds[i].IsEmpty)
            {
                return seconds[i].Close;
            }
        }

        return null;
    }
}
