using System.Globalization;
using System.Text;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// <c>/0/public/OHLC</c> for one pair and interval: the 720 most recent bars at most (Kraken's cap, whatever
/// <c>since</c> says), the last one still forming. Bars before the emulator started are a deterministic random walk
/// ending at the pair's start price; later ones are built from the trades of the run (a bar without trades is flat
/// at the last close, with no volume).
/// </summary>
internal static class KrakenOhlc
{
    public const int MaxBars = 720;

    public static string Json(KrakenEmulatorPair pair, int minutes, long since, DateTime startUtc, DateTime now, int seed)
    {
        KrakenPairSpec spec = pair.Spec;
        long step = minutes * 60L;
        long nowSeconds = Seconds(now);
        long lastStart = nowSeconds / step * step;
        long firstStart = Math.Max(lastStart - ((MaxBars - 1) * step), since > 0 ? since / step * step : 0);
        long startSeconds = Seconds(startUtc);
        long startBar = startSeconds / step * step;
        double sigma = spec.VolatilityPerSqrtSecond * Math.Sqrt(step);
        ulong key = DeterministicRandom.SeedFor(seed, $"kraken-ohlc:{spec.Symbol}:{minutes}");

        // Closes walking back from the start price: close[j] is the close of the bar j bars before the start bar.
        int back = (int)Math.Max(0, (startBar - firstStart) / step) + 2;
        double[] closes = new double[back + 1];
        closes[0] = spec.Price > 0 ? (double)pair.StartPrice : 1;
        for (int j = 1; j <= back; j++)
        {
            closes[j] = closes[j - 1] * Math.Exp(-sigma * DeterministicRandom.GaussianAt(key + (ulong)j));
        }

        var json = new StringBuilder(64 * MaxBars);
        json.Append("{\"error\":[],\"result\":{\"").Append(spec.RestPair).Append("\":[");
        long previousClose = pair.StartPrice;
        int tradeIndex = 0;
        for (long t = firstStart; t <= lastStart; t += step)
        {
            long open, high, low, close, volume;
            int count;
            if (t < startBar)
            {
                int j = (int)((startBar - t) / step);
                open = Round(closes[Math.Min(back, j + 1)], spec.Tick);
                close = Round(closes[j], spec.Tick);
                double wiggle = Math.Abs(DeterministicRandom.GaussianAt(key ^ 0x9E3779B97F4A7C15UL ^ (ulong)j)) * sigma / 2;
                high = Round(Math.Max(open, close) * (1 + wiggle), spec.Tick);
                low = Round(Math.Min(open, close) * (1 - wiggle), spec.Tick);
                count = 20 + (int)(Math.Abs(DeterministicRandom.GaussianAt(key + 7 + (ulong)j)) * 40);
                volume = count * spec.MinTradeLots * 10 * spec.Lot;
            }
            else
            {
                (open, high, low, close, volume, count) = (previousClose, previousClose, previousClose, previousClose, 0, 0);
                DateTime barStart = DateTime.UnixEpoch.AddSeconds(t);
                DateTime barEnd = barStart.AddSeconds(step);
                while (tradeIndex < pair.Trades.Count && pair.Trades[tradeIndex].Time < barStart)
                {
                    tradeIndex++;
                }

                for (; tradeIndex < pair.Trades.Count && pair.Trades[tradeIndex].Time < barEnd; tradeIndex++)
                {
                    (_, long price, long quantity) = pair.Trades[tradeIndex];
                    (open, high, low) = count == 0 ? (price, price, price) : (open, Math.Max(high, price), Math.Min(low, price));
                    close = price;
                    volume += quantity;
                    count++;
                }
            }

            previousClose = close;
            json.Append(t == firstStart ? "" : ",").Append('[').Append(t.ToString(CultureInfo.InvariantCulture))
                .Append(",\"").Append(KrakenJson.Number(open, spec.PriceDecimals)).Append("\",\"").Append(KrakenJson.Number(high, spec.PriceDecimals))
                .Append("\",\"").Append(KrakenJson.Number(low, spec.PriceDecimals)).Append("\",\"").Append(KrakenJson.Number(close, spec.PriceDecimals))
                .Append("\",\"").Append(KrakenJson.Number(close, spec.PriceDecimals)).Append("\",\"").Append(KrakenJson.Number(volume, spec.LotDecimals))
                .Append("\",").Append(count.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        return json.Append("],\"last\":").Append(lastStart.ToString(CultureInfo.InvariantCulture)).Append("}}").ToString();
    }

    private static long Seconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;

    private static long Round(double raw, long tick) => Math.Max(tick, (long)Math.Round(raw / tick) * tick);
}
