using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Reads Finnhub's symbol lists — <c>/stock/symbol</c> (<c>{"description","displaySymbol","symbol","type",…}</c>) and
/// <c>/crypto/symbol</c>, <c>/forex/symbol</c> (<c>{"description","displaySymbol","symbol"}</c>) — into instruments
/// named <c>FINNHUB:</c> + the symbol exactly as Finnhub spells it (<c>FINNHUB:AAPL</c>, <c>FINNHUB:BINANCE:BTCUSDT</c>,
/// <c>FINNHUB:OANDA:EUR_USD</c>); the symbol is also the native key, sent on the socket and echoed in trades
/// unchanged. Finnhub gives no tick or lot sizes: US stocks take 0.0001 (sub-penny prints exist), forex 0.00001,
/// crypto 0.00000001 with fractional quantities. An entry without a usable symbol is rejected and counted.
/// </summary>
internal static class FinnhubSymbolList
{
    public const string Exchange = "FINNHUB";

    /// <summary>Longest symbol kept: Finnhub's are short (<c>IC MARKETS:1</c>, <c>BINANCE:1000SATSUSDT</c>).</summary>
    public const int MaxSymbolLength = 48;

    public static (List<Instrument> Instruments, int Rejected) Parse(byte[] json, FinnhubSymbolKind kind, string exchange, string feed)
    {
        var instruments = new List<Instrument>();
        int rejected = 0;
        using JsonDocument document = ParseDocument(json, kind);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"Finnhub {Path(kind)}: not an array of symbols; is this a symbol list?");
        }

        foreach (JsonElement entry in document.RootElement.EnumerateArray())
        {
            string? symbol = entry.ValueKind == JsonValueKind.Object ? Text(entry, "symbol") : null;
            if (symbol is null || symbol.Length is 0 or > MaxSymbolLength || symbol.Any(char.IsControl) || symbol != symbol.Trim())
            {
                rejected++;
                continue;
            }

            string name = Text(entry, "description") is { Length: > 0 } description ? description : Text(entry, "displaySymbol") ?? symbol;
            instruments.Add(kind switch
            {
                FinnhubSymbolKind.Crypto => new Instrument
                {
                    Exchange = Exchange, TradingSymbol = symbol, Name = name, Kind = InstrumentKind.Spot, TickSize = Price.FromRaw(1),
                    QuantityStep = Quantity.FromRaw(1), Calendar = SessionCalendar.Crypto, Feed = feed, NativeKey = symbol,
                },
                FinnhubSymbolKind.Forex => new Instrument
                {
                    Exchange = Exchange, TradingSymbol = symbol, Name = name, Kind = InstrumentKind.Spot, TickSize = Price.FromScaled(1, 5),
                    Calendar = FinnhubCalendars.Forex, Feed = feed, NativeKey = symbol,
                },
                _ => new Instrument
                {
                    Exchange = Exchange, TradingSymbol = symbol, Name = name, Kind = InstrumentKind.Equity, TickSize = Price.FromScaled(1, 4),
                    Calendar = string.Equals(exchange, "US", StringComparison.OrdinalIgnoreCase) ? FinnhubCalendars.UsEquity : FinnhubCalendars.OtherStocks,
                    Feed = feed, NativeKey = symbol,
                },
            });
        }

        return (instruments, rejected);
    }

    /// <summary>The endpoint a kind of list comes from.</summary>
    public static string Path(FinnhubSymbolKind kind) => kind switch
    {
        FinnhubSymbolKind.Crypto => "/crypto/symbol",
        FinnhubSymbolKind.Forex => "/forex/symbol",
        _ => "/stock/symbol",
    };

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonDocument ParseDocument(byte[] json, FinnhubSymbolKind kind)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Finnhub {Path(kind)}: not JSON ({e.Message})", e);
        }
    }
}
