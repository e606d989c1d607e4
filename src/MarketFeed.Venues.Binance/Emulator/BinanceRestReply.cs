using System.Globalization;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>A REST answer: status and JSON body; errors in Binance's <c>{"code":…,"msg":…}</c> form.</summary>
internal readonly record struct BinanceRestReply(int Status, string Json)
{
    public static BinanceRestReply Ok(string json) => new(200, json);

    public static BinanceRestReply Error(int code, string message, int status = 400) =>
        new(status, string.Create(CultureInfo.InvariantCulture, $"{{\"code\":{code},\"msg\":{BinanceJson.Quote(message)}}}"));

    public static BinanceRestReply InvalidSymbol => Error(-1121, "Invalid symbol.");

    public static BinanceRestReply Mandatory(string parameter) => Error(-1102, $"Mandatory parameter '{parameter}' was not sent, was empty/null, or malformed.");

    public static BinanceRestReply Illegal(string parameter, string range) => Error(-1100, $"Illegal characters found in parameter '{parameter}'; legal range is '{range}'.");
}
