using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>What <c>malformed</c> and <c>oddtext</c> look like on a Kraken v2 connection, for a pair the connection has.</summary>
internal static class KrakenFaultFrames
{
    /// <summary>
    /// A trade cut short, trades whose numbers are not exact decimals (strings, exponents, negative), a trade without
    /// its id, a book level without a quantity, and text that is not JSON.
    /// </summary>
    public static IEnumerable<string> Malformed(string symbol, DateTime now)
    {
        string time = KrakenJson.Time(now);
        string trade = $"{{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{{\"symbol\":\"{symbol}\",\"side\":\"buy\",\"price\":1.0,\"qty\":1.00000000,\"ord_type\":\"market\",\"trade_id\":1,\"timestamp\":\"{time}\"}}]}}";
        yield return trade[..(trade.Length / 2)];
        yield return trade.Replace("\"price\":1.0", "\"price\":\"1.0\"", StringComparison.Ordinal);
        yield return trade.Replace("\"qty\":1.00000000", "\"qty\":1e-8", StringComparison.Ordinal);
        yield return trade.Replace("\"price\":1.0", "\"price\":-1.0", StringComparison.Ordinal);
        yield return trade.Replace(",\"trade_id\":1", "", StringComparison.Ordinal);
        yield return $"{{\"channel\":\"book\",\"type\":\"update\",\"data\":[{{\"symbol\":\"{symbol}\",\"bids\":[{{\"price\":1.0}}],\"asks\":[],\"checksum\":1,\"timestamp\":\"{time}\"}}]}}";
        yield return "{not json";
    }

    /// <summary>The shared odd frames, and valid JSON shaped almost like Kraken's messages: an ack to no request, data without items, a channel Kraken does not have.</summary>
    public static IEnumerable<string> Odd(string symbol) =>
    [
        .. EmulatorFaults.OddTextFrames,
        "{\"method\":\"subscribe\",\"result\":{\"channel\":\"trade\",\"symbol\":\"NO/SUCH\"},\"success\":true,\"req_id\":424242}",
        "{\"channel\":\"trade\",\"type\":\"update\"}",
        "{\"channel\":\"surprise\",\"type\":\"update\",\"data\":[]}",
        $"{{\"channel\":\"ticker\",\"type\":\"update\",\"data\":null,\"symbol\":\"{symbol}\"}}",
        "{\"channel\":42}",
    ];
}
