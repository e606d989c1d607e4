using System.Globalization;
using System.Text;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>Binance's stream payloads, field for field and in Binance's order (the argument is "times in µs").</summary>
internal static class BinanceEventJson
{
    public static Func<bool, string> Trade(string symbol, long tradeId, Price price, Quantity quantity, DateTime tradeTime, DateTime eventTime, bool buyerMaker) =>
        micro =>
        {
            var text = new StringBuilder(192);
            text.Append(CultureInfo.InvariantCulture, $"{{\"e\":\"trade\",\"E\":{BinanceJson.UnixTime(eventTime, micro)},\"s\":\"{symbol}\",\"t\":{tradeId},\"p\":");
            BinanceJson.AppendQuoted(text, price.Raw).Append(",\"q\":");
            BinanceJson.AppendQuoted(text, quantity.Raw);
            return text.Append(CultureInfo.InvariantCulture, $",\"T\":{BinanceJson.UnixTime(tradeTime, micro)},\"m\":{(buyerMaker ? "true" : "false")},\"M\":true}}").ToString();
        };

    public static Func<bool, string> BookTicker(string symbol, long updateId, BinanceLevel bid, BinanceLevel ask) =>
        _ =>
        {
            var text = new StringBuilder(160);
            text.Append(CultureInfo.InvariantCulture, $"{{\"u\":{updateId},\"s\":\"{symbol}\",\"b\":");
            BinanceJson.AppendQuoted(text, bid.Price).Append(",\"B\":");
            BinanceJson.AppendQuoted(text, bid.Quantity).Append(",\"a\":");
            BinanceJson.AppendQuoted(text, ask.Price).Append(",\"A\":");
            return BinanceJson.AppendQuoted(text, ask.Quantity).Append('}').ToString();
        };

    public static Func<bool, string> DepthUpdate(string symbol, DateTime eventTime, BinanceDiff diff) =>
        micro =>
        {
            var text = new StringBuilder(64 + (48 * (diff.Bids.Count + diff.Asks.Count)));
            text.Append(CultureInfo.InvariantCulture, $"{{\"e\":\"depthUpdate\",\"E\":{BinanceJson.UnixTime(eventTime, micro)},\"s\":\"{symbol}\",\"U\":{diff.FirstUpdateId},\"u\":{diff.LastUpdateId},\"b\":");
            AppendLevels(text, diff.Bids).Append(",\"a\":");
            return AppendLevels(text, diff.Asks).Append('}').ToString();
        };

    public static Func<bool, string> PartialDepth(long lastUpdateId, IReadOnlyList<BinanceLevel> bids, IReadOnlyList<BinanceLevel> asks) =>
        _ => Depth(lastUpdateId, bids, asks);

    /// <summary>A partial depth payload and the REST depth snapshot share this shape.</summary>
    public static string Depth(long lastUpdateId, IReadOnlyList<BinanceLevel> bids, IReadOnlyList<BinanceLevel> asks)
    {
        var text = new StringBuilder(48 + (48 * (bids.Count + asks.Count)));
        text.Append(CultureInfo.InvariantCulture, $"{{\"lastUpdateId\":{lastUpdateId},\"bids\":");
        AppendLevels(text, bids).Append(",\"asks\":");
        return AppendLevels(text, asks).Append('}').ToString();
    }

    public static Func<bool, string> ServerShutdown(DateTime eventTime) =>
        micro => string.Create(CultureInfo.InvariantCulture, $"{{\"e\":\"serverShutdown\",\"E\":{BinanceJson.UnixTime(eventTime, micro)}}}");

    private static StringBuilder AppendLevels(StringBuilder text, IReadOnlyList<BinanceLevel> levels)
    {
        text.Append('[');
        for (int i = 0; i < levels.Count; i++)
        {
            text.Append(i == 0 ? "[" : ",[");
            BinanceJson.AppendQuoted(text, levels[i].Price).Append(',');
            BinanceJson.AppendQuoted(text, levels[i].Quantity).Append(']');
        }

        return text.Append(']');
    }
}
