namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// A Binance kline interval (<c>1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M</c>, case-sensitive) and where
/// its bars fall: on the Unix-epoch grid in the request's time zone, weeks from Monday 00:00, months from the 1st.
/// </summary>
internal sealed class BinanceKlineInterval
{
    private const long Second = 1_000;
    private const long Day = 86_400_000;

    // 1970-01-01 was a Thursday: Monday-based weeks start 4 days after the epoch.
    private const long FirstMonday = 4 * Day;

    private static readonly Dictionary<string, long> s_lengths = new(StringComparer.Ordinal)
    {
        ["1s"] = Second, ["1m"] = 60 * Second, ["3m"] = 180 * Second, ["5m"] = 300 * Second, ["15m"] = 900 * Second,
        ["30m"] = 1_800 * Second, ["1h"] = 3_600 * Second, ["2h"] = 7_200 * Second, ["4h"] = 14_400 * Second,
        ["6h"] = 21_600 * Second, ["8h"] = 28_800 * Second, ["12h"] = 43_200 * Second, ["1d"] = Day, ["3d"] = 3 * Day,
        ["1w"] = 7 * Day, ["1M"] = 0,
    };

    private readonly long _length;
    private readonly long _offsetMs;

    private BinanceKlineInterval(string label, long length, long offsetMs)
    {
        Label = label;
        _length = length;
        _offsetMs = offsetMs;
    }

    public string Label { get; }

    /// <summary>The interval for <paramref name="label"/> with bars in a zone <paramref name="offsetMs"/> ahead of UTC; null when Binance has no such interval.</summary>
    public static BinanceKlineInterval? Parse(string? label, long offsetMs = 0) =>
        label is not null && s_lengths.TryGetValue(label, out long length) ? new BinanceKlineInterval(label, length, offsetMs) : null;

    /// <summary>The open time of the bar holding <paramref name="ms"/>.</summary>
    public long OpenOf(long ms)
    {
        long local = ms + _offsetMs;
        if (_length == 0)
        {
            DateTime day = BinanceJson.FromUnixMilliseconds(local);
            return BinanceJson.UnixMilliseconds(new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc)) - _offsetMs;
        }

        long anchor = _length == 7 * Day ? FirstMonday : 0;
        long since = local - anchor;
        long bars = since >= 0 ? since / _length : ((since + 1) / _length) - 1;
        return (bars * _length) + anchor - _offsetMs;
    }

    public long Next(long open) => Step(open, 1);

    public long Previous(long open) => Step(open, -1);

    private long Step(long open, int bars) =>
        _length == 0
            ? BinanceJson.UnixMilliseconds(BinanceJson.FromUnixMilliseconds(open + _offsetMs).AddMonths(bars)) - _offsetMs
            : open + (bars * _length);
}
