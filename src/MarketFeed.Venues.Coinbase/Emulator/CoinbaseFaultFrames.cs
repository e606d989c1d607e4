using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// What <c>malformed</c> and <c>oddtext</c> look like on a Coinbase stream, for a product the connection listens to.
/// They repeat the connection's last <c>sequence_num</c> (they are extra frames, not messages Coinbase numbered).
/// </summary>
internal static class CoinbaseFaultFrames
{
    /// <summary>
    /// A trades message cut short, trades with numbers that are not numbers, a level on side "ask", a ticker without its
    /// product, a message without its number, and text that is not JSON.
    /// </summary>
    public static IEnumerable<string> Malformed(string product, DateTime now, long sequence)
    {
        var trade = new CoinbaseTrade(1, 100_000_000, 100_000_000, "BUY", now);
        string trades = CoinbaseJson.Envelope("market_trades", now, sequence, CoinbaseJson.Trades(false, product, [trade]));
        yield return trades[..(trades.Length / 2)];
        string one = CoinbaseJson.Fixed(100_000_000);
        yield return trades.Replace($"\"price\":\"{one}\"", "\"price\":\"12.3.4\"", StringComparison.Ordinal);
        yield return trades.Replace($"\"size\":\"{one}\"", "\"size\":\"NaN\"", StringComparison.Ordinal);
        yield return CoinbaseJson.Envelope("l2_data", now, sequence, CoinbaseJson.Level2(false, product, now, [(true, 100_000_000, 1)])).Replace("\"bid\"", "\"ask\"", StringComparison.Ordinal);
        yield return CoinbaseJson.Envelope("ticker", now, sequence, "[{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\",\"price\":\"1\"}]}]");
        yield return trades.Replace($"\"sequence_num\":{sequence},", "", StringComparison.Ordinal);
        yield return "{not json";
    }

    /// <summary>The shared odd frames, and valid JSON shaped almost like Coinbase's messages: an envelope without events, events that are not a list.</summary>
    public static IEnumerable<string> Odd(string product) =>
    [
        .. EmulatorFaults.OddTextFrames,
        "{\"channel\":\"market_trades\",\"sequence_num\":1}",
        $"{{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":{{\"product_id\":\"{product}\"}}}}",
        "{\"channel\":42,\"events\":[]}",
        "{\"events\":[]}",
        "{\"type\":\"error\",\"message\":42}",
    ];
}
