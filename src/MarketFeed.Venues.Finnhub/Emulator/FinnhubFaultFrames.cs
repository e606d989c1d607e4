using System.Globalization;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>What <c>malformed</c> and <c>oddtext</c> look like on Finnhub's socket, for a symbol the connection listens to.</summary>
internal static class FinnhubFaultFrames
{
    /// <summary>
    /// A trade frame cut short, trades whose price is a string or negative, one without its time, one with a time that
    /// is text, a trade frame whose data is not an array, and text that is not JSON.
    /// </summary>
    public static IEnumerable<string> Malformed(string symbol, DateTime now)
    {
        long ms = (now.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        string s = System.Text.Json.JsonSerializer.Serialize(symbol);
        string trade = string.Create(CultureInfo.InvariantCulture, $"{{\"data\":[{{\"p\":1.5,\"s\":{s},\"t\":{ms},\"v\":1}}],\"type\":\"trade\"}}");
        yield return trade[..(trade.Length / 2)];
        yield return trade.Replace("\"p\":1.5", "\"p\":\"1.5\"", StringComparison.Ordinal);
        yield return trade.Replace("\"p\":1.5", "\"p\":-1.5", StringComparison.Ordinal);
        yield return trade.Replace(string.Create(CultureInfo.InvariantCulture, $",\"t\":{ms}"), "", StringComparison.Ordinal);
        yield return trade.Replace(string.Create(CultureInfo.InvariantCulture, $"\"t\":{ms}"), "\"t\":\"now\"", StringComparison.Ordinal);
        yield return "{\"data\":{\"p\":1.5},\"type\":\"trade\"}";
        yield return "{not json";
    }

    /// <summary>The shared odd frames, and valid JSON shaped almost like Finnhub's messages: a trade frame without trades, a type that is not Finnhub's, an error without its text.</summary>
    public static IEnumerable<string> Odd() =>
    [
        .. EmulatorFaults.OddTextFrames,
        "{\"data\":[],\"type\":\"trade\"}",
        "{\"type\":\"trade\"}",
        "{\"type\":\"pong\"}",
        "{\"msg\":42,\"type\":\"error\"}",
        "{\"data\":[{\"p\":1}],\"type\":\"trade\"}",
    ];
}
