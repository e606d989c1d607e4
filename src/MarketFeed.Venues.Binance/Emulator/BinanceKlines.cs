using System.Globalization;
using System.Text;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// <c>GET /api/v3/klines</c> rows for one symbol: simulated history (<see cref="BinancePricePath"/>) before the
/// emulator started, the trades it actually sent after (<see cref="BinanceLiveTrades"/>), joined in the bar that spans
/// the start; the last row may be the bar still open. Bars open at or after the symbol's listing bar.
/// </summary>
internal static class BinanceKlines
{
    private const double Factor = 100_000_000;

    /// <summary>The open times Binance would return, oldest first: from <paramref name="startMs"/>, or the latest up to <paramref name="endMs"/> or now.</summary>
    public static IReadOnlyList<long> Opens(BinanceKlineInterval interval, long listedMs, long? startMs, long? endMs, int limit, long nowMs)
    {
        long current = interval.OpenOf(nowMs);
        long first = interval.OpenOf(listedMs);
        long last = endMs is long end ? Math.Min(interval.OpenOf(end), current) : current;
        var opens = new List<long>(Math.Min(limit, 1_000));
        if (startMs is long start)
        {
            long open = interval.OpenOf(start);
            open = Math.Max(open < start ? interval.Next(open) : open, first);
            for (; open <= last && opens.Count < limit; open = interval.Next(open))
            {
                opens.Add(open);
            }

            return opens;
        }

        for (long open = last; open >= first && opens.Count < limit; open = interval.Previous(open))
        {
            opens.Add(open);
        }

        opens.Reverse();
        return opens;
    }

    /// <summary>The rows as Binance writes them: <c>[open,"o","h","l","c","v",close,"quote",trades,"takerBase","takerQuote","0"]</c>.</summary>
    public static string Json(BinancePricePath path, BinanceLiveTrades live, long startPrice, BinanceKlineInterval interval, IReadOnlyList<long> opens, long nowMs)
    {
        var text = new StringBuilder(32 + (opens.Count * 160));
        text.Append('[');
        for (int i = 0; i < opens.Count; i++)
        {
            long open = opens[i];
            long next = interval.Next(open);
            BinanceKlineBar bar = Bar(path, live, startPrice, open, next, nowMs);
            text.Append(i == 0 ? "[" : ",[").Append(open.ToString(CultureInfo.InvariantCulture)).Append(',');
            BinanceJson.AppendQuoted(text, bar.Open).Append(',');
            BinanceJson.AppendQuoted(text, bar.High).Append(',');
            BinanceJson.AppendQuoted(text, bar.Low).Append(',');
            BinanceJson.AppendQuoted(text, bar.Close).Append(',');
            BinanceJson.AppendQuoted(text, bar.Volume).Append(',').Append((next - 1).ToString(CultureInfo.InvariantCulture)).Append(",\"");
            text.Append(BinanceJson.Decimal8(bar.QuoteVolume)).Append("\",").Append(bar.Trades.ToString(CultureInfo.InvariantCulture)).Append(',');
            BinanceJson.AppendQuoted(text, bar.TakerBuyVolume).Append(",\"");
            text.Append(BinanceJson.Decimal8(bar.TakerBuyQuoteVolume)).Append("\",\"0\"]");
        }

        return text.Append(']').ToString();
    }

    private static BinanceKlineBar Bar(BinancePricePath path, BinanceLiveTrades live, long startPrice, long open, long next, long nowMs)
    {
        var bar = default(BinanceKlineBar);
        if (open < live.StartMs)
        {
            bar.Add(Simulated(path, open, Math.Min(next, live.StartMs)));
        }

        if (next > live.StartMs)
        {
            bar.Add(live.Aggregate(Math.Max(open, live.StartMs), Math.Min(next, nowMs + 1)));
        }

        if (bar.IsEmpty)
        {
            // No trade in the bar: flat at the last price, no volume (as Binance shows a quiet interval).
            long price = live.LastPriceBefore(open) ?? startPrice;
            bar = new BinanceKlineBar { Open = price, High = price, Low = price, Close = price };
        }

        return bar;
    }

    /// <summary>The simulated part [from, to) of a bar: open and close on the path, extremes sampled with a wick, volume from the symbol's rate.</summary>
    private static BinanceKlineBar Simulated(BinancePricePath path, long from, long to)
    {
        BinanceSymbolSpec spec = path.Spec;
        double seconds = (to - from) / 1000.0;
        int samples = (int)Math.Clamp(seconds, 1, 16);
        double open = path.Price(from);
        double close = path.Price(to);
        double high = Math.Max(open, close);
        double low = Math.Min(open, close);
        for (int i = 1; i < samples; i++)
        {
            double price = path.Price(from + ((to - from) * i / samples));
            high = Math.Max(high, price);
            low = Math.Min(low, price);
        }

        double wick = spec.VolatilityPerSqrtSecond * Math.Sqrt(seconds / samples) * 0.5;
        high *= Math.Exp(Math.Abs(path.Gaussian(1, from)) * wick);
        low /= Math.Exp(Math.Abs(path.Gaussian(2, from)) * wick);

        long tick = spec.TickSize.Raw;
        long step = spec.StepSize.Raw;
        long Round(double price) => Math.Max(tick, (long)Math.Round(price * Factor / tick, MidpointRounding.AwayFromZero) * tick);
        long o = Round(open);
        long c = Round(close);
        double volume = spec.VolumePerSecond * seconds * Math.Exp((0.6 * path.Gaussian(3, from)) - 0.18);
        long volumeRaw = (long)(volume * Factor / step) * step;
        double takerShare = 0.5 + (0.15 * Math.Tanh(path.Gaussian(4, from)));
        long takerRaw = (long)(volumeRaw * takerShare / step) * step;
        var bar = new BinanceKlineBar
        {
            Open = o,
            Close = c,
            High = Math.Max(Round(high), Math.Max(o, c)),
            Low = Math.Min(Round(low), Math.Min(o, c)),
            Volume = volumeRaw,
            TakerBuyVolume = takerRaw,
            Trades = volumeRaw == 0 ? 0 : (int)Math.Max(1, Math.Round(volume / spec.MeanTradeQuantity)),
        };
        decimal average = (bar.Open + bar.High + bar.Low + bar.Close) / 4m / 100_000_000m;
        bar.QuoteVolume = volumeRaw / 100_000_000m * average;
        bar.TakerBuyQuoteVolume = takerRaw / 100_000_000m * average;
        return bar;
    }
}
