using System.Globalization;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>What <c>malformed</c> and <c>oddtext</c> look like on a Binance stream, for a symbol the connection listens to.</summary>
internal static class BinanceFaultFrames
{
    /// <summary>
    /// A trade cut short, trades with numbers that are not numbers, an event of a type Binance does not have, a
    /// bookTicker with a quantity missing, and text that is not JSON.
    /// </summary>
    public static IEnumerable<string> Malformed(string symbol, bool combined, DateTime now)
    {
        string stream = symbol.ToLowerInvariant();
        long ms = BinanceJson.UnixMilliseconds(now);
        string Wrap(string kind, string data) => combined ? $"{{\"stream\":\"{stream}@{kind}\",\"data\":{data}}}" : data;
        string trade = string.Create(CultureInfo.InvariantCulture, $"{{\"e\":\"trade\",\"E\":{ms},\"s\":\"{symbol}\",\"t\":1,\"p\":\"1.00000000\",\"q\":\"1.00000000\",\"T\":{ms},\"m\":true,\"M\":true}}");
        yield return Wrap("trade", trade)[..(Wrap("trade", trade).Length / 2)];
        yield return Wrap("trade", trade.Replace("\"p\":\"1.00000000\"", "\"p\":\"12.3.4\"", StringComparison.Ordinal));
        yield return Wrap("trade", trade.Replace("\"q\":\"1.00000000\"", "\"q\":\"NaN\"", StringComparison.Ordinal));
        yield return Wrap("trade", trade.Replace("\"t\":1", "\"t\":\"one\"", StringComparison.Ordinal));
        yield return Wrap("trade", string.Create(CultureInfo.InvariantCulture, $"{{\"e\":\"surprise\",\"E\":{ms},\"s\":\"{symbol}\"}}"));
        yield return Wrap("bookTicker", $"{{\"u\":1,\"s\":\"{symbol}\",\"b\":\"1.00000000\",\"a\":\"2.00000000\",\"A\":\"1.00000000\"}}");
        yield return "{not json";
    }

    /// <summary>The shared odd frames, and valid JSON shaped almost like Binance's messages: a reply to no request, wrappers without data.</summary>
    public static IEnumerable<string> Odd(string symbol) =>
    [
        .. EmulatorFaults.OddTextFrames,
        "{\"result\":null,\"id\":424242}",
        $"{{\"stream\":\"{symbol.ToLowerInvariant()}@trade\"}}",
        $"{{\"stream\":\"{symbol.ToLowerInvariant()}@trade\",\"data\":null}}",
        "{\"stream\":42,\"data\":{}}",
        "{\"data\":[]}",
    ];
}
