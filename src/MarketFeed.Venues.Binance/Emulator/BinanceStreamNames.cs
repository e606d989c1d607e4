using System.Buffers;
using System.Collections.Frozen;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Which stream names Binance accepts: a lower-case symbol, <c>@</c>, and a stream it has (an unknown symbol is
/// accepted and stays silent, as on Binance), or a market-wide <c>!…@arr</c> stream. The emulator sends
/// <see cref="Served"/> ones; the others are accepted and silent.
/// </summary>
internal static class BinanceStreamNames
{
    public const string Served = "trade, bookTicker, depth, depth@100ms, depth5|10|20, depth5|10|20@100ms";

    private static readonly SearchValues<char> s_symbolCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    private static readonly FrozenSet<string> s_kinds = new[]
    {
        "trade", "aggTrade", "bookTicker", "depth", "depth@100ms", "depth5", "depth10", "depth20", "depth5@100ms", "depth10@100ms",
        "depth20@100ms", "miniTicker", "ticker", "ticker_1h", "ticker_4h", "ticker_1d", "avgPrice",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_marketWide = new[]
    {
        "!miniTicker@arr", "!ticker@arr", "!ticker_1h@arr", "!ticker_4h@arr", "!ticker_1d@arr",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsValid(string name)
    {
        if (s_marketWide.Contains(name))
        {
            return true;
        }

        int at = name.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || name.AsSpan(0, at).ContainsAnyExcept(s_symbolCharacters))
        {
            return false;
        }

        string kind = name[(at + 1)..];
        return s_kinds.Contains(kind) || IsKline(kind);
    }

    private static bool IsKline(string kind)
    {
        if (!kind.StartsWith("kline_", StringComparison.Ordinal))
        {
            return false;
        }

        string interval = kind["kline_".Length..];
        int zone = interval.IndexOf("@+08:00", StringComparison.Ordinal);
        return BinanceKlineInterval.Parse(zone < 0 ? interval : interval[..zone]) is not null && (zone < 0 || zone + 7 == interval.Length);
    }
}
